/**
 * The embedded store: better-sqlite3 in WAL mode with synchronous=FULL, so
 * an acknowledged commit has reached the disk. One connection writes, one
 * reads; WAL lets the reader see the last commit while a write is open.
 */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Database, type PoolStats, type Row, type Statement, StoreNotFoundError, type Transaction, type TransactionOptions } from './database.ts';
import { beforeDeadline, DEFAULT_DB_TIMEOUT_MS, sleep, timedOut } from './deadline.ts';
import { asUnavailable, outageReason } from './unavailable.ts';

/**
 * How long SQLite itself may wait for a lock, blocking the event loop. A
 * lock held longer (another process writing) is waited for by
 * `retryWhileBusy` instead: asynchronously, until the operation's deadline.
 */
const BUSY_WAIT_MS = 5;
/** Opening may switch the journal mode, which needs the lock: the server is not serving yet, so it may wait. */
const OPEN_BUSY_WAIT_MS = 2000;

/** Transactions on one file are serialized within the process, so an async
 * transaction never meets a synchronous busy wait on the same thread. */
const writeLocks = new Map<string, Promise<unknown>>();

function withWriteLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = writeLocks.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  writeLocks.set(key, settled);
  void settled.then(() => {
    if (writeLocks.get(key) === settled) writeLocks.delete(key);
  });
  return run;
}

/** Another connection holds the lock (SQLITE_BUSY or SQLITE_LOCKED and their extended codes). */
const isBusy = (error: unknown): boolean => outageReason(error) === 'database_busy';

/**
 * Since when writes have found the file locked by another process: set at
 * the first SQLITE_BUSY, kept across writes that give up at their deadline,
 * cleared when a write gets the lock (readiness reads it).
 */
interface LockWait {
  since: number | undefined;
  lastBusyAt: number;
}

/** Runs `fn` (synchronous SQLite work) again while the file is locked by someone else, until `deadline`; failures come out as UNAVAILABLE when they are outages. */
async function retryWhileBusy<T>(fn: () => T | Promise<T>, deadline: number, wait?: LockWait): Promise<T> {
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    try {
      const result = await fn();
      if (wait) wait.since = undefined;
      return result;
    } catch (error) {
      const left = deadline - Date.now();
      if (wait && isBusy(error)) {
        wait.lastBusyAt = Date.now();
        wait.since ??= wait.lastBusyAt;
      }
      if (!isBusy(error) || left <= 0) throw asUnavailable(error);
      await sleep(Math.min(pause, left));
    }
  }
}

function open(file: string, role: 'writer' | 'reader'): BetterSqlite3.Database {
  const db = new BetterSqlite3(file, { timeout: role === 'writer' ? OPEN_BUSY_WAIT_MS : BUSY_WAIT_MS });
  if (role === 'writer') db.pragma('journal_mode = WAL');
  // Erased content (README, "Deletion that erases") must not survive in freed space: the writer zeroes what it frees.
  if (role === 'writer') db.pragma('secure_delete = ON');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${BUSY_WAIT_MS}`);
  if (role === 'reader') db.pragma('query_only = ON');
  return db;
}

function bind(params: readonly unknown[]): unknown[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

/** Prepared statements by SQL text: preparing showed as a sixth of the append profile. */
function statementCache(db: BetterSqlite3.Database, size = 256): (sql: string) => BetterSqlite3.Statement {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement) return statement;
    statement = db.prepare(sql);
    if (cache.size >= size) cache.delete(cache.keys().next().value as string);
    cache.set(sql, statement);
    return statement;
  };
}

function sqlOn(db: BetterSqlite3.Database): Transaction {
  const prepare = statementCache(db);
  const run = (statements: readonly Statement[]) => statements.map((st) => prepare(st.sql).run(...bind(st.params)).changes);
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return prepare(sql).all(...bind(params)) as T[];
    },
    async execute(sql: string, params: readonly unknown[] = []) {
      return { affectedRows: prepare(sql).run(...bind(params)).changes };
    },
    async batch(statements) {
      return run(statements);
    },
    async queryEach(statements) {
      return statements.map((st) => prepare(st.sql).all(...bind(st.params)) as Row[]);
    },
    // The transaction commits when its function returns.
    async commitWith(statements) {
      run(statements);
    },
  };
}

/**
 * A SQLite store can move its WAL into the database file and empty it: what
 * the event store does after a commit that erased content, whose earlier
 * versions the WAL would otherwise keep until it is next reused.
 */
export interface WalCheckpointing {
  /** PRAGMA wal_checkpoint(TRUNCATE): true when it completed, false when readers still hold the WAL (try again later). */
  checkpointWal(): Promise<boolean>;
}

export function checkpointsWal(db: Database): db is Database & WalCheckpointing {
  return typeof (db as Partial<WalCheckpointing>).checkpointWal === 'function';
}

export interface SqliteOptions {
  /** The deadline of every operation and transaction (THRDS_DB_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** Refuse (StoreNotFoundError) instead of creating a file that does not exist. */
  readonly mustExist?: boolean;
}

export function openSqliteDatabase(path: string, options: SqliteOptions = {}): Database & WalCheckpointing {
  const file = path === ':memory:' ? path : resolve(path);
  const timeoutMs = options.timeoutMs ?? DEFAULT_DB_TIMEOUT_MS;
  if (file !== ':memory:') {
    if (options.mustExist && !existsSync(file)) throw new StoreNotFoundError(`no SQLite database at ${file}`);
    mkdirSync(dirname(file), { recursive: true });
  }
  const writer = open(file, 'writer');
  // An in-memory database exists once per connection: read through the writer.
  const reader = file === ':memory:' ? writer : open(file, 'reader');
  const writeSql = sqlOn(writer);
  const readSql = sqlOn(reader);
  const lockKey = file === ':memory:' ? `memory:${Math.random()}` : file;
  const writes = { running: 0, waiting: 0 };
  const lockWait: LockWait = { since: undefined, lastBusyAt: 0 };

  /** The write lock, then `fn`, by `deadline`: a turn that comes too late is refused, not started. */
  const write = <T>(deadline: number, fn: () => Promise<T>): Promise<T> => {
    writes.waiting += 1;
    let abandoned = false;
    const turn = withWriteLock(lockKey, async () => {
      writes.waiting -= 1;
      if (abandoned || Date.now() >= deadline) throw timedOut('waiting to write', timeoutMs);
      writes.running += 1;
      try {
        return await fn();
      } finally {
        writes.running -= 1;
      }
    });
    // The caller hears at its deadline even while the turn before it still runs; the turn, when it comes, is skipped.
    return beforeDeadline(turn, deadline, () => timedOut('waiting to write', timeoutMs), () => {
      abandoned = true;
      turn.catch(() => undefined);
    });
  };

  const transaction = <T>(fn: (tx: Transaction) => Promise<T>, txOptions: TransactionOptions = {}): Promise<T> => {
    const deadline = Math.min(txOptions.deadline ?? Infinity, Date.now() + (txOptions.timeoutMs ?? timeoutMs));
    return write(deadline, async () => {
      await retryWhileBusy(() => writer.exec('BEGIN IMMEDIATE'), deadline, lockWait);
      try {
        const result = await fn(writeSql);
        writer.exec('COMMIT');
        return result;
      } catch (error) {
        if (writer.inTransaction) writer.exec('ROLLBACK');
        throw asUnavailable(error);
      }
    });
  };
  const deadline = () => Date.now() + timeoutMs;

  return {
    dialect: 'sqlite',
    displayUrl: `sqlite:${path}`,
    forUpdate: '',
    timeoutMs,
    query: (sql, params) => retryWhileBusy(() => readSql.query(sql, params), deadline()),
    execute: (sql, params) => {
      const by = deadline();
      return write(by, () => retryWhileBusy(() => writeSql.execute(sql, params), by));
    },
    // In one transaction: a batch retried after a busy start never runs half of itself twice.
    batch: (statements) => transaction((tx) => tx.batch(statements)),
    queryEach: (statements) => retryWhileBusy(() => readSql.queryEach(statements), deadline()),
    poolStats: (): PoolStats => ({
      size: 1,
      inUse: writes.running,
      waiting: writes.waiting,
      // Stale once no write has met the lock for a second: nobody is trying, so nobody is waiting.
      lockWaitMs: lockWait.since === undefined || Date.now() - lockWait.lastBusyAt > 1000 ? 0 : Date.now() - lockWait.since,
    }),
    transaction,
    exec: (script) => {
      const by = deadline();
      return write(by, () =>
        retryWhileBusy(() => {
          writer.exec(script);
        }, by),
      );
    },
    checkpointWal: () => {
      // Closing the last connection checkpoints and removes the WAL itself.
      if (file === ':memory:' || !writer.open) return Promise.resolve(true);
      const by = deadline();
      return write(by, async () => {
        if (!writer.open) return true;
        const [result] = writer.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
        return result?.busy === 0;
      });
    },
    async *stream<T>(sql: string, params: readonly unknown[] = []) {
      // A dedicated connection: iterate() holds its statement open until done.
      const db = file === ':memory:' ? writer : open(file, 'reader');
      try {
        for (const row of db.prepare(sql).iterate(...bind(params))) yield row as T;
      } catch (error) {
        throw asUnavailable(error);
      } finally {
        if (db !== writer) db.close();
      }
    },
    async close() {
      await withWriteLock(lockKey, async () => undefined);
      if (reader !== writer) reader.close();
      writer.close();
    },
  };
}
