/**
 * Opening the store for a command. Read-only commands open only a store
 * that exists (a mistyped SQLite path or database name is an error, never a
 * new empty database) and that holds an event log; anything that stops the
 * store from opening is a StoreOpenError (exit 3), so it can never pass
 * for a log that failed its check (exit 1).
 */
import type { Database } from '../db/database.ts';
import { migrate, type Migration } from '../db/migrate.ts';
import { openDatabase, redactedUrl, StoreNotFoundError } from '../db/openDatabase.ts';
import type { ParsedArgs } from './args.ts';
import { databaseUrl } from './subcommand.ts';
import { StoreOpenError } from './exitCodes.ts';

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

async function open(args: ParsedArgs, mustExist: boolean): Promise<Database> {
  const url = databaseUrl(args);
  try {
    return await openDatabase(url, { mustExist });
  } catch (error) {
    if (error instanceof StoreNotFoundError) throw new StoreOpenError(`${firstLine(error)}; nothing was created`);
    throw new StoreOpenError(`${redactedUrl(url)}: ${firstLine(error)}`);
  }
}

/** Opens an existing store for reading its log: no store, or one without a log, is a StoreOpenError. */
export async function openExisting(args: ParsedArgs): Promise<Database> {
  const db = await open(args, true);
  try {
    await db.query('SELECT position FROM log_head WHERE id = 1');
    return db;
  } catch (error) {
    await db.close();
    throw new StoreOpenError(`no event log at ${db.displayUrl} (${firstLine(error)}): run \`thrds migrate\` first`);
  }
}

/**
 * Opens the store and brings its schema up to date. `mustExist` for commands
 * that work on a log already there (rebuild); import and migrate create it.
 */
export async function openMigrated(args: ParsedArgs, options: { mustExist: boolean }): Promise<{ db: Database; applied: Migration[] }> {
  const db = await open(args, options.mustExist);
  try {
    return { db, applied: await migrate(db) };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Runs `fn` with the database and always closes it. */
export async function using<T>(db: Database, fn: (db: Database) => Promise<T>): Promise<T> {
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
