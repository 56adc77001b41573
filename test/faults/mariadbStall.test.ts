/**
 * MariaDB stalled: a proxy between server and database holds every byte both
 * ways (sockets open, nothing flows) for 6 s under 8 writers and a reader.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createTestDatabase, mariadbReachable, MYSQL_SERVER_URL, type TestDatabase } from '../support/databases.ts';
import { ServerProcess } from '../support/serverProcess.ts';
import { TcpProxy } from '../support/tcpProxy.ts';
import { DEADLINE_MS, faultEnv, viaPort } from './support/faultEnv.ts';
import { expectOutageHandled, runOutage } from './support/outage.ts';

const reachable = await mariadbReachable();

describe.skipIf(!reachable)('MariaDB stalled behind a proxy', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('mariadb');
    const target = new URL(MYSQL_SERVER_URL);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 3306) });
    server = await ServerProcess.start({ databaseUrl: viaPort(database.url, proxy.port), env: faultEnv });
  });
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.drop();
  });

  it('fails writes and reads UNAVAILABLE within the deadline, keeps /healthz fast, /readyz honest, and loses or duplicates nothing after retries', async () => {
    const result = await runOutage({
      server: server!,
      storeUrl: database.url,
      fault: { name: 'mariadb-stall', inject: () => proxy.stall(), lift: () => proxy.resume() },
      outageMs: 6000,
    });
    expectOutageHandled(result, { deadlineMs: DEADLINE_MS, writesFail: true, readiness: true, maxLogLines: 40 });
  }, 90_000);
});
