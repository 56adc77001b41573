/**
 * A Thrds server process whose every byte to MariaDB passes a TcpProxy the
 * test controls (stall, cut, resume), on a database of its own on the shared
 * MariaDB. Call inside a `describe`: it registers the suite's setup and teardown.
 */
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, MYSQL_SERVER_URL, type TestDatabase } from '../../support/databases.ts';
import { ServerProcess } from '../../support/serverProcess.ts';
import { TcpProxy } from '../../support/tcpProxy.ts';
import { faultEnv, viaPort } from './faultEnv.ts';

export interface BehindProxy {
  readonly database: TestDatabase;
  readonly proxy: TcpProxy;
  readonly server: ServerProcess;
}

export function serverBehindProxy(): BehindProxy {
  let database: TestDatabase | undefined;
  let proxy: TcpProxy | undefined;
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
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the server behind the proxy has not started');
    return value;
  };
  return {
    get database() {
      return started(database);
    },
    get proxy() {
      return started(proxy);
    },
    get server() {
      return started(server);
    },
  };
}
