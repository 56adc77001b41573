/**
 * The one seam between Thrds and SQL. Both adapters take `?` placeholders,
 * so the event store, the projections and the read side share their SQL;
 * only what truly differs between the dialects lives behind this interface.
 */
export type Dialect = 'mysql' | 'sqlite';

export type Row = Record<string, unknown>;

export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
  /**
   * One text run many times with many values (a full chunk of a bulk
   * insert): sent as a prepared statement where the driver has them. MySQL
   * parses it once per connection and the values travel in binary, neither
   * escaped into the text nor parsed out of it (parsing was half the
   * server's work in `thrds import`); SQLite prepares every statement
   * anyway. Never for texts that vary, as each stays prepared on its
   * connection.
   */
  readonly prepared?: boolean;
}

export interface Sql {
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  execute(sql: string, params?: readonly unknown[]): Promise<{ affectedRows: number }>;
  /**
   * Runs writes in order and returns each one's affected rows. On MySQL they
   * travel in one round trip (a multi-statement query: values are still
   * escaped placeholders, never text); a failure stops the rest.
   */
  batch(statements: readonly Statement[]): Promise<number[]>;
  /** Runs reads in order and returns each one's rows: one round trip on MySQL, like `batch`. */
  queryEach(statements: readonly Statement[]): Promise<Row[][]>;
}

/**
 * A transaction's connection. On MySQL the `START TRANSACTION` travels with
 * the first statement sent and `commitWith` sends the last writes with the
 * `COMMIT`, so a transaction of one read and one write is two round trips.
 */
export interface Transaction extends Sql {
  /**
   * Runs these writes and commits, together: the last thing the transaction
   * does (nothing may be sent after it). A failing statement stops the rest,
   * the commit included, and the transaction rolls back.
   */
  commitWith(statements: readonly Statement[]): Promise<void>;
}

export interface TransactionOptions {
  /** This transaction's budget instead of the database's (bulk tools pass BULK_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** An absolute deadline (ms since the epoch) the caller already owes someone: the earlier one wins. */
  readonly deadline?: number;
}

export interface PoolStats {
  /** Connections the pool may hold (1 on SQLite: its one writer). */
  readonly size: number;
  /** Connections checked out now (SQLite: 1 while a write runs). */
  readonly inUse: number;
  /** Callers waiting for one. */
  readonly waiting: number;
  /** SQLite: how long the current write has waited for a lock another process holds (0 when none). */
  readonly lockWaitMs?: number;
}

/** The database a read-only tool was pointed at does not exist (a mistyped path or name); nothing was created. */
export class StoreNotFoundError extends Error {
  override name = 'StoreNotFoundError';
}

export interface Database extends Sql {
  readonly dialect: Dialect;
  /** The deadline of every operation and transaction, in ms (THRDS_DB_TIMEOUT_MS): past it, UNAVAILABLE. */
  readonly timeoutMs: number;
  poolStats(): PoolStats;
  /** The URL with any password removed, for logs and errors. */
  readonly displayUrl: string;
  /** Appended to a SELECT that must lock its rows until commit ('' where a write transaction locks the whole file). */
  readonly forUpdate: string;
  /** Runs `fn` in one transaction on one connection: committed when it resolves (or by `commitWith`), rolled back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs a multi-statement script (migrations). */
  exec(script: string): Promise<void>;
  /** Streams a large result row by row without holding it in memory. */
  stream<T = Row>(sql: string, params?: readonly unknown[], options?: StreamOptions): AsyncIterable<T>;
  close(): Promise<void>;
}

export interface StreamOptions {
  /**
   * Every column as the bytes the server sends (Buffers, numbers as their
   * decimal digits, null for NULL), text as stored (UTF-8), where the
   * driver can hand them over undecoded (MariaDB/MySQL); the usual values
   * elsewhere (SQLite).
   */
  readonly bytes?: boolean;
}

/** True when `error` is a unique-key violation on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
