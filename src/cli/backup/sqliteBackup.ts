/**
 * An online backup of an embedded store with SQLite's backup API: the
 * whole file is copied in one step, which holds one read transaction, so
 * the copy is one consistent point of the log even while a server appends
 * (in WAL mode a reader never blocks the writer, nor the writer it).
 * Copying in many small steps instead would start over after every commit
 * made meanwhile, and under steady writes might never finish.
 */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LogHead } from '../../events/eventStore.ts';
import { StoreOpenError } from '../exitCodes.ts';

/** The most pages one backup step may copy: all of them. */
const ALL_PAGES = 0x7fffffff;

export interface SqliteBackupResult {
  readonly pages: number;
  /** The log's head in the copy: the point in time it holds. */
  readonly head: LogHead;
}

export async function backupSqlite(sourcePath: string, destination: string): Promise<SqliteBackupResult> {
  const source = resolve(sourcePath);
  if (!existsSync(source)) throw new StoreOpenError(`no SQLite database at ${source}; nothing was created`);
  let db: BetterSqlite3.Database;
  try {
    // fileMustExist: never create the store it was asked to copy. Not `readonly`: a read-only
    // connection cannot remove the -wal and -shm files it made beside a store no server has open.
    db = new BetterSqlite3(source, { fileMustExist: true, timeout: 5000 });
    db.pragma('query_only = ON');
  } catch (error) {
    throw new StoreOpenError(`cannot open ${source}: ${(error as Error).message}`);
  }
  let pages: number;
  try {
    try {
      db.prepare('SELECT position FROM log_head WHERE id = 1').get();
    } catch (error) {
      throw new StoreOpenError(`no event log at sqlite:${sourcePath} (${(error as Error).message}): run \`thrds migrate\` first`);
    }
    pages = (await db.backup(destination, { progress: () => ALL_PAGES })).totalPages;
  } finally {
    db.close();
  }
  return { pages, head: readHead(destination) };
}

/** The head the copy ends at, read from the copy itself. */
function readHead(file: string): LogHead {
  const copy = new BetterSqlite3(file, { fileMustExist: true });
  try {
    const row = copy.prepare('SELECT position, hash FROM log_head WHERE id = 1').get() as { position: number; hash: string };
    return { position: Number(row.position), hash: row.hash };
  } finally {
    copy.close();
  }
}
