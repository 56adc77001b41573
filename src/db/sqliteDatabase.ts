/**
 * The embedded store: better-sqlite3 in WAL mode with synchronous=FULL, so
 * an acknowledged commit has reached the disk. One connection writes, one
 * reads; WAL lets the reader see the last commit while a write is open.
 */
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Database, Row, Statement, Transaction } from './database.ts';

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

function open(file: string, readonly: boolean): BetterSqlite3.Database {
  const db = new BetterSqlite3(file, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  if (readonly) db.pragma('query_only = ON');
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

export function openSqliteDatabase(path: string): Database {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const writer = open(file, false);
  // An in-memory database exists once per connection: read through the writer.
  const reader = file === ':memory:' ? writer : open(file, true);
  const writeSql = sqlOn(writer);
  const readSql = sqlOn(reader);
  const lockKey = file === ':memory:' ? `memory:${Math.random()}` : file;

  const transaction = <T>(fn: (tx: Transaction) => Promise<T>): Promise<T> =>
    withWriteLock(lockKey, async () => {
      writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(writeSql);
        writer.exec('COMMIT');
        return result;
      } catch (error) {
        if (writer.inTransaction) writer.exec('ROLLBACK');
        throw error;
      }
    });

  return {
    dialect: 'sqlite',
    displayUrl: `sqlite:${path}`,
    forUpdate: '',
    query: readSql.query,
    execute: (sql, params) => withWriteLock(lockKey, () => writeSql.execute(sql, params)),
    batch: (statements) => withWriteLock(lockKey, () => writeSql.batch(statements)),
    queryEach: readSql.queryEach,
    transaction,
    exec: (script) =>
      withWriteLock(lockKey, async () => {
        writer.exec(script);
      }),
    async *stream<T>(sql: string, params: readonly unknown[] = []) {
      // A dedicated connection: iterate() holds its statement open until done.
      const db = file === ':memory:' ? writer : open(file, true);
      try {
        for (const row of db.prepare(sql).iterate(...bind(params))) yield row as T;
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
