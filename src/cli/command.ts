/** What every subcommand declares, and the options they all share. */
import type { Database } from '../db/database.ts';
import { migrate, type Migration } from '../db/migrate.ts';
import { DEFAULT_DATABASE_URL, openDatabase } from '../db/openDatabase.ts';
import { type FlagKind, type ParsedArgs, stringFlag, booleanFlag } from './args.ts';
import { createProgress, type Progress } from './progress.ts';

export interface Command {
  readonly summary: string;
  /** The arguments after the subcommand's name, e.g. `[--after P] [--follow]`. */
  readonly usage: string;
  readonly flags: Readonly<Record<string, FlagKind>>;
  /** Resolves to the exit code. */
  run(args: ParsedArgs): Promise<number>;
}

/** An expected failure: printed as one clear line, exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export const commonFlags: Readonly<Record<string, FlagKind>> = { 'database-url': 'string', quiet: 'boolean', help: 'boolean' };

export function databaseUrl(args: ParsedArgs): string {
  return stringFlag(args, 'database-url') || process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

export function progressFor(args: ParsedArgs, label: string): Progress {
  return createProgress({ label, quiet: booleanFlag(args, 'quiet') });
}

/** Opens the database and brings its schema up to date. */
export async function openMigrated(args: ParsedArgs): Promise<{ db: Database; applied: Migration[] }> {
  const db = await openDatabase(databaseUrl(args));
  try {
    return { db, applied: await migrate(db) };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Opens the database for reading the log; a database without one is a clear error, not an empty answer. */
export async function openExisting(args: ParsedArgs): Promise<Database> {
  const db = await openDatabase(databaseUrl(args));
  try {
    await db.query('SELECT position FROM log_head WHERE id = 1');
    return db;
  } catch (error) {
    await db.close();
    throw new CliError(`no event log at ${db.displayUrl} (${(error as Error).message.split('\n')[0]}): run \`thrds migrate\` first`);
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
