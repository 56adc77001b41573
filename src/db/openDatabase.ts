/**
 * DATABASE_URL → a Database. `sqlite:<path>` (the default,
 * `sqlite:./data/thrds.db`) or `mysql://user:pass@host:3306/db`
 * (`mariadb://` is accepted as a synonym).
 */
import type { Database } from './database.ts';
import { openMysqlDatabase } from './mysqlDatabase.ts';

export { StoreNotFoundError } from './database.ts';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/thrds.db';

/** A DATABASE_URL fit for logs and messages: any credentials replaced by `***`. */
export function redactedUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

export interface OpenDatabaseOptions {
  /** The deadline of every operation and transaction in ms (THRDS_DB_TIMEOUT_MS; default 5,000). */
  readonly timeoutMs?: number;
  /** For read-only tools: throw StoreNotFoundError rather than create a database that is not there. */
  readonly mustExist?: boolean;
}

export async function openDatabase(url: string = DEFAULT_DATABASE_URL, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new Error('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/thrds.db');
    // Loaded on demand: a server on MariaDB never loads the native better-sqlite3 addon.
    const { openSqliteDatabase } = await import('./sqliteDatabase.ts');
    return openSqliteDatabase(path, options);
  }
  if (url.startsWith('mysql:') || url.startsWith('mariadb:')) return openMysqlDatabase(url, options);
  throw new Error(`DATABASE_URL must start with sqlite: or mysql:// (got ${url.split(':')[0]}:)`);
}
