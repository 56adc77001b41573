/**
 * Scratch databases for tests and benches. Every suite (and every bench
 * run) gets its own, freshly named database (or SQLite file) and drops it
 * afterwards, so runs never share state.
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

/** A throwaway store: a uniquely named MariaDB database (created by whoever opens it) or a SQLite file in a temp directory. */
export interface ScratchDatabase {
  /** A DATABASE_URL for Thrds. */
  readonly url: string;
  /** The MariaDB database name, or the SQLite file's base name. */
  readonly name: string;
  /** Removes it; safe to call twice. */
  drop(): Promise<void>;
}

export type TestDatabase = ScratchDatabase;

export interface ScratchOptions {
  /** The MariaDB server (no database in the path). Default MYSQL_SERVER_URL. */
  readonly serverUrl?: string;
  /** The name's prefix: `thrds_test` for tests, `thrds_bench` for benches, so a leftover says who left it. */
  readonly prefix?: string;
}

const live = new Set<ScratchDatabase>();

/** Names a scratch database and says how to drop it; creates nothing yet (the server creates and migrates a MariaDB database on first open). */
export function scratchDatabase(kind: StoreKind, options: ScratchOptions = {}): ScratchDatabase {
  const prefix = options.prefix ?? 'thrds_test';
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const store = kind === 'sqlite' ? sqliteFile(prefix, name) : mariadbDatabase((options.serverUrl ?? MYSQL_SERVER_URL).replace(/\/+$/, ''), name);
  const database: ScratchDatabase = {
    url: store.url,
    name,
    async drop() {
      live.delete(database);
      await store.drop();
    },
  };
  live.add(database);
  return database;
}

export async function createTestDatabase(kind: StoreKind): Promise<TestDatabase> {
  return scratchDatabase(kind);
}

/** Drops every scratch database of this process not dropped yet (for an interrupted run). */
export async function dropAllScratchDatabases(): Promise<void> {
  await Promise.allSettled([...live].map((database) => database.drop()));
}

function sqliteFile(prefix: string, name: string): { url: string; drop(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix.replaceAll('_', '-')}-`));
  return { url: `sqlite:${join(dir, `${name}.db`)}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

function mariadbDatabase(serverUrl: string, name: string): { url: string; drop(): Promise<void> } {
  return {
    url: `${serverUrl}/${name}`,
    async drop() {
      const conn = await mysql.createConnection({ uri: serverUrl });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
