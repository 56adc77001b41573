/**
 * Test databases. Every suite gets its own, freshly named database (or
 * SQLite file) and drops it afterwards, so runs never share state.
 *
 * MariaDB is at THRDS_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306).
 * When it is unreachable the MariaDB suites are skipped locally with a
 * warning, but fail under CI=true or THRDS_REQUIRE_MARIADB=1.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

export type StoreKind = 'sqlite' | 'mariadb';

export const MYSQL_SERVER_URL = process.env.THRDS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export const mariadbRequired = process.env.CI === 'true' || process.env.THRDS_REQUIRE_MARIADB === '1';

let reachable: Promise<boolean> | undefined;

export function mariadbReachable(): Promise<boolean> {
  reachable ??= (async () => {
    try {
      const conn = await mysql.createConnection({ uri: MYSQL_SERVER_URL, connectTimeout: 3000 });
      await conn.end();
      return true;
    } catch (error) {
      if (mariadbRequired) throw new Error(`MariaDB is required (CI) but unreachable at ${MYSQL_SERVER_URL}: ${String(error)}`);
      console.warn(`[test] MariaDB unreachable at ${MYSQL_SERVER_URL}: MariaDB suites are SKIPPED`);
      return false;
    }
  })();
  return reachable;
}

/** The store kinds to run a suite against: MariaDB only when reachable (or required). */
export async function storeKinds(): Promise<StoreKind[]> {
  return (await mariadbReachable()) ? ['sqlite', 'mariadb'] : ['sqlite'];
}

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: StoreKind): Promise<TestDatabase> {
  const name = `thrds_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'thrds-test-'));
    return { url: `sqlite:${join(dir, `${name}.db`)}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = MYSQL_SERVER_URL.replace(/\/+$/, '');
  return {
    url: `${base}/${name}`,
    async drop() {
      const conn = await mysql.createConnection({ uri: base });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
