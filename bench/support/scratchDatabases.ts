/**
 * Throwaway databases for one benchmark: the tests' scratch databases
 * (test/support/databases.ts) named `thrds_bench_<time>_<random>`, on the
 * MariaDB server the bench was given, dropped when the benchmark ends.
 */
import mysql from 'mysql2/promise';
import { scratchDatabase, type ScratchDatabase } from '../../test/support/databases.ts';

export { dropAllScratchDatabases, type ScratchDatabase } from '../../test/support/databases.ts';

/** Creates nothing yet (the server creates and migrates it); drop removes it. */
export function scratchMysqlDatabase(serverUrl: string): ScratchDatabase {
  return scratchDatabase('mariadb', { serverUrl, prefix: 'thrds_bench' });
}

export function scratchSqliteDatabase(): ScratchDatabase {
  return scratchDatabase('sqlite', { prefix: 'thrds_bench' });
}

/** Fails fast with a clear message when MariaDB is not reachable. */
export async function assertMysqlReachable(serverUrl: string): Promise<void> {
  try {
    const conn = await mysql.createConnection({ uri: serverUrl, connectTimeout: 3000 });
    await conn.end();
  } catch (error) {
    throw new Error(`MariaDB is not reachable at ${serverUrl} (set THRDS_BENCH_MYSQL_URL): ${String(error)}`);
  }
}
