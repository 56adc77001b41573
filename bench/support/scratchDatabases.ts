/**
 * Throwaway databases for one benchmark: a uniquely named MariaDB database
 * (`thrds_bench_<random>`) or a SQLite file in a temp directory, dropped
 * when the benchmark ends.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

export interface ScratchDatabase {
  /** A DATABASE_URL for Thrds. */
  readonly url: string;
  /** The MariaDB database name (empty for SQLite). */
  readonly name: string;
  drop(): Promise<void>;
}

const live = new Set<ScratchDatabase>();

/** Drops every scratch database not dropped yet (for an interrupted run). */
export async function dropAllScratchDatabases(): Promise<void> {
  await Promise.allSettled([...live].map((db) => db.drop()));
}

function tracked(db: ScratchDatabase): ScratchDatabase {
  const entry: ScratchDatabase = {
    url: db.url,
    name: db.name,
    async drop() {
      live.delete(entry);
      await db.drop();
    },
  };
  live.add(entry);
  return entry;
}

export function scratchName(): string {
  return `thrds_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Creates nothing yet for MariaDB (the server creates and migrates it); drop removes it. */
export function scratchMysqlDatabase(serverUrl: string): ScratchDatabase {
  const name = scratchName();
  const url = `${serverUrl.replace(/\/+$/, '')}/${name}`;
  return tracked({
    url,
    name,
    async drop() {
      const conn = await mysql.createConnection({ uri: serverUrl });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  });
}

export function scratchSqliteDatabase(): ScratchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'thrds-bench-'));
  return tracked({
    url: `sqlite:${join(dir, 'thrds.db')}`,
    name: '',
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  });
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
