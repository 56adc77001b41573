/**
 * MariaDB gone: the connection cut (a proxy destroys every socket and refuses
 * new ones), and the server process stopped and started (an instance of the
 * test's own, never the shared one), each under 8 writers and a reader.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mariadbReachable } from '../support/databases.ts';
import { OwnMariadb, ownMariadbUnavailable } from '../support/ownMariadb.ts';
import { ServerProcess } from '../support/serverProcess.ts';
import { DEADLINE_MS, faultEnv, skipOutsideCi } from './support/faultEnv.ts';
import { expectOutageHandled, runOutage } from './support/outage.ts';
import { serverBehindProxy } from './support/behindProxy.ts';

const reachable = await mariadbReachable();
const noOwnMariadb = skipOutsideCi(await ownMariadbUnavailable());
if (noOwnMariadb) console.warn(`[test] SKIPPED the own-mariadbd restart test: ${noOwnMariadb}`);

describe.skipIf(!reachable)('MariaDB connection cut by a proxy', () => {
  const setup = serverBehindProxy();

  it('fails writes UNAVAILABLE within the deadline while cut, recovers when the port answers again, and loses or duplicates nothing', async () => {
    const result = await runOutage({
      server: setup.server,
      storeUrl: setup.database.url,
      fault: { name: 'mariadb-cut', inject: () => setup.proxy.cut(), lift: () => setup.proxy.resume() },
      outageMs: 5000,
    });
    expectOutageHandled(result, { deadlineMs: DEADLINE_MS, writesFail: true, readiness: true, maxLogLines: 40 });
  }, 90_000);
});

describe.skipIf(noOwnMariadb !== undefined)('an own mariadbd stopped and started', () => {
  let mariadb: OwnMariadb;
  let server: ServerProcess | undefined;
  const databaseUrl = () => `${mariadb.url}/thrds_faults`;

  beforeAll(async () => {
    mariadb = await OwnMariadb.start();
    server = await ServerProcess.start({ databaseUrl: databaseUrl(), env: faultEnv });
  });
  afterAll(async () => {
    await server?.stop();
    await mariadb?.dispose();
  });

  it('fails writes UNAVAILABLE while mariadbd is down (SIGTERM), recovers when it is back, and loses or duplicates nothing', async () => {
    const result = await runOutage({
      server: server!,
      storeUrl: databaseUrl(),
      fault: { name: 'mariadbd-restart', inject: () => mariadb.stop('SIGTERM'), lift: () => mariadb.start() },
      outageMs: 4000,
    });
    expectOutageHandled(result, { deadlineMs: DEADLINE_MS, writesFail: true, readiness: true, maxLogLines: 40 });
  }, 90_000);
});
