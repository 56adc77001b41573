/**
 * The production store: MariaDB/MySQL with InnoDB through a mysql2 pool.
 * The database named in the URL is created (utf8mb4) when it is missing.
 *
 * Built on mysql2's callback API: its promise wrapper captures a stack trace
 * for every query, which the append profile showed costing more than the
 * query's own JavaScript.
 */
import mysql from 'mysql2';
import { type Database, type PoolStats, type Row, type Statement, StoreNotFoundError, type StreamOptions, type Transaction, type TransactionOptions } from './database.ts';
import { beforeDeadline, DEFAULT_DB_TIMEOUT_MS, timedOut } from './deadline.ts';
import { asUnavailable } from './unavailable.ts';
import { UnavailableError } from '../errors.ts';

/** Runs one SQL text (with its `?` values), as a prepared statement when asked, and gives back mysql2's result. */
type Runner = (sql: string, params: readonly unknown[], prepared?: boolean) => Promise<unknown>;

/**
 * Sends statements as one multi-statement query and returns each one's
 * result; a statement marked `prepared` goes on its own, as a prepared
 * statement, in its turn.
 */
async function send(run: Runner, statements: readonly Statement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  if (statements.some((st) => st.prepared)) {
    const results: unknown[] = [];
    for (let i = 0; i < statements.length; ) {
      const first = statements[i]!;
      if (first.prepared) {
        results.push(await run(first.sql, first.params, true));
        i += 1;
        continue;
      }
      let end = i + 1;
      while (end < statements.length && !statements[end]!.prepared) end += 1;
      results.push(...(await send(run, statements.slice(i, end))));
      i = end;
    }
    return results;
  }
  const result = await run(statements.map((st) => st.sql).join(';\n'), statements.flatMap((st) => st.params));
  return statements.length === 1 ? [result] : (result as unknown[]);
}

const START: Statement = { sql: 'START TRANSACTION', params: [] };
const COMMIT: Statement = { sql: 'COMMIT', params: [] };

/**
 * Statements on a pool or on one transaction's connection. In a transaction
 * the `START TRANSACTION` is held back and sent in front of the first
 * statement, saving a round trip per transaction.
 */
class MysqlSql implements Transaction {
  /** Whether anything was sent, so whether there is a transaction to end. */
  begun = false;
  committed = false;

  constructor(
    private readonly run: Runner,
    private readonly inTransaction: boolean,
  ) {}

  private async sendAll(statements: readonly Statement[]): Promise<unknown[]> {
    if (!this.inTransaction || this.begun) return send(this.run, statements);
    this.begun = true;
    return (await send(this.run, [START, ...statements])).slice(1);
  }

  query = async <T>(sql: string, params: readonly unknown[] = []): Promise<T[]> => (await this.sendAll([{ sql, params }]))[0] as T[];

  execute = async (sql: string, params: readonly unknown[] = []): Promise<{ affectedRows: number }> => {
    const [result] = await this.sendAll([{ sql, params }]);
    return { affectedRows: (result as mysql.ResultSetHeader).affectedRows };
  };

  batch = async (statements: readonly Statement[]): Promise<number[]> =>
    (await this.sendAll(statements)).map((r) => (r as mysql.ResultSetHeader).affectedRows);

  queryEach = async (statements: readonly Statement[]): Promise<Row[][]> => (await this.sendAll(statements)) as Row[][];

  commitWith = async (statements: readonly Statement[]): Promise<void> => {
    if (!this.inTransaction) throw new Error('commitWith outside a transaction');
    await this.sendAll([...statements, COMMIT]);
    this.committed = true;
  };
}

/** One checked-out connection: given up (destroyed, never reused) once a deadline passed on it or it failed fatally. */
class Lease {
  lost = false;

  constructor(readonly conn: mysql.PoolConnection) {}

  run(sql: string, params: readonly unknown[], deadline: number, timeoutMs: number, prepared = false): Promise<unknown> {
    const work = new Promise<unknown>((resolve, reject) => {
      const done = (error: mysql.QueryError | null, result: unknown) => (error ? reject(error) : resolve(result));
      if (prepared) this.conn.execute(sql, params as mysql.ExecuteValues[], done);
      else this.conn.query(sql, params as unknown[], done);
    });
    return beforeDeadline(work, deadline, () => timedOut('query', timeoutMs), () => this.giveUp()).catch((error: unknown) => {
      if ((error as { fatal?: unknown }).fatal === true) this.giveUp();
      throw asUnavailable(error);
    });
  }

  giveUp(): void {
    if (this.lost) return;
    this.lost = true;
    this.conn.destroy();
  }

  end(): void {
    if (!this.lost) this.conn.release();
  }
}

/** Rows buffered ahead of the reader (the connection pauses reading the socket past this). */
const STREAM_AHEAD = 1000;

/**
 * A streaming query's rows as they arrive, taken one at a time without an
 * await while any are buffered. (Through mysql2's Readable and its async
 * iterator, each row cost three async steps; `thrds export` and `verify`
 * spent a quarter of their time there.)
 */
class RowBuffer<T> {
  private rows: T[] = [];
  private index = 0;
  private ended = false;
  private failure: unknown;
  private paused = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly conn: mysql.PoolConnection,
    query: ReturnType<mysql.PoolConnection['query']>,
  ) {
    query.on('result', (row) => {
      this.rows.push(row as T);
      if (!this.paused && this.rows.length - this.index >= STREAM_AHEAD) {
        this.paused = true;
        this.conn.pause();
      }
      this.rouse();
    });
    query.on('error', (error) => {
      this.failure = error;
      this.rouse();
    });
    query.on('end', () => {
      this.ended = true;
      this.rouse();
    });
  }

  /** The next buffered row, or undefined when none is (then await `more`). */
  next(): T | undefined {
    const rows = this.rows;
    if (this.index >= rows.length) return undefined;
    const row = rows[this.index];
    this.index += 1;
    // Taken to the last: a fresh array, so rows already handed over are not kept while the query runs on.
    if (this.index === rows.length) {
      this.rows = [];
      this.index = 0;
    }
    return row;
  }

  /** Waits for rows; false once the query has ended and every row was taken. Throws the query's error once the rows before it were taken. */
  async more(): Promise<boolean> {
    this.rows = [];
    this.index = 0;
    for (;;) {
      if (this.rows.length > 0) return true;
      if (this.failure !== undefined) throw this.failure;
      if (this.ended) return false;
      if (this.paused) {
        // Resuming hands over the packets held meanwhile at once (and may pause again): look before waiting.
        this.paused = false;
        this.conn.resume();
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private rouse(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

function connect(options: mysql.ConnectionOptions): Promise<mysql.Connection> {
  return new Promise((resolve, reject) => {
    const conn = mysql.createConnection(options);
    conn.connect((error) => (error ? reject(error) : resolve(conn)));
  });
}

/** Ends politely, but gives up after `graceMs`: a stalled database must not hold a shutdown. */
function end(conn: mysql.Connection | mysql.Pool, graceMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if ('destroy' in conn) conn.destroy();
      resolve();
    }, graceMs);
    conn.end(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export interface MysqlOptions {
  readonly connectionLimit?: number;
  /** The deadline of every operation and transaction (THRDS_DB_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** Refuse (StoreNotFoundError) instead of creating a database that does not exist. */
  readonly mustExist?: boolean;
  /** A replica (DATABASE_READ_URL): create nothing and check nothing at open; replication brings the database. */
  readonly replica?: boolean;
}

/** Pool waiters beyond this are refused at once (UNAVAILABLE) rather than queued. */
const POOL_QUEUE_LIMIT = 2000;

export async function openMysqlDatabase(url: string, options: MysqlOptions = {}): Promise<Database> {
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const databaseName = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!databaseName) throw new Error(`DATABASE_URL names no database: ${redact(parsed)}`);
  if (!/^[A-Za-z0-9_$]+$/.test(databaseName)) throw new Error(`unsupported database name: ${databaseName}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_DB_TIMEOUT_MS;
  const connection: mysql.ConnectionOptions = {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    timezone: 'Z',
    // MariaDB marks the events' JSON columns as JSON: keep their stored text (verify hashes it as is; export writes it as is).
    jsonStrings: true,
    connectTimeout: Math.min(timeoutMs, 10_000),
  };

  if (!options.replica) await prepareDatabase(connection, databaseName, parsed, options.mustExist === true);

  const limit = options.connectionLimit ?? 12;
  // multipleStatements lets a group's writes travel in one round trip (Sql.batch); every value is a placeholder.
  const pool = mysql.createPool({
    ...connection,
    database: databaseName,
    connectionLimit: limit,
    maxIdle: limit,
    enableKeepAlive: true,
    multipleStatements: true,
    queueLimit: POOL_QUEUE_LIMIT,
  });
  // mysql2 keeps these lists on the pool; they are what "in use" and "waiting" mean.
  const lists = pool as unknown as { _allConnections: { length: number }; _freeConnections: { length: number }; _connectionQueue: { length: number } };
  const poolStats = (): PoolStats => ({ size: limit, inUse: lists._allConnections.length - lists._freeConnections.length, waiting: lists._connectionQueue.length });

  /** A connection by `deadline`: UNAVAILABLE when the pool has none free in time, or the database does not accept one. */
  const acquire = (deadline: number): Promise<Lease> => {
    let abandoned = false;
    const exhausted = poolStats().inUse >= limit;
    const work = new Promise<Lease>((resolve, reject) => {
      pool.getConnection((error, conn) => {
        if (abandoned) {
          conn?.release();
          return;
        }
        if (error) reject(asUnavailable(error));
        else resolve(new Lease(conn));
      });
    });
    return beforeDeadline(
      work,
      deadline,
      () =>
        exhausted
          ? new UnavailableError(`Every database connection stayed in use for ${timeoutMs} ms; try again shortly`, 'pool_exhausted')
          : timedOut('connect', timeoutMs),
      () => {
        abandoned = true;
      },
    );
  };

  /** One statement outside a transaction: its own connection, its own deadline. */
  const runAlone: Runner = async (sql, params, prepared) => {
    const deadline = Date.now() + timeoutMs;
    const lease = await acquire(deadline);
    try {
      return await lease.run(sql, params, deadline, timeoutMs, prepared);
    } finally {
      lease.end();
    }
  };
  const poolSql = new MysqlSql(runAlone, false);

  return {
    dialect: 'mysql',
    displayUrl: redact(parsed),
    forUpdate: ' FOR UPDATE',
    timeoutMs,
    query: poolSql.query,
    execute: poolSql.execute,
    batch: poolSql.batch,
    queryEach: poolSql.queryEach,
    poolStats,
    async transaction<T>(fn: (tx: Transaction) => Promise<T>, txOptions: TransactionOptions = {}): Promise<T> {
      const budget = txOptions.timeoutMs ?? timeoutMs;
      const deadline = Math.min(txOptions.deadline ?? Infinity, Date.now() + budget);
      const lease = await acquire(deadline);
      const tx = new MysqlSql((sql, params, prepared) => lease.run(sql, params, deadline, budget, prepared), true);
      try {
        const result = await fn(tx);
        if (tx.begun && !tx.committed) await lease.run('COMMIT', [], deadline, budget);
        return result;
      } catch (error) {
        // A connection given up on rolls back on the server when it closes.
        if (tx.begun && !tx.committed && !lease.lost) await lease.run('ROLLBACK', [], Date.now() + Math.min(budget, 2000), budget).catch(() => lease.giveUp());
        throw asUnavailable(error);
      } finally {
        lease.end();
      }
    },
    async exec(script) {
      const conn = await connect({ ...connection, database: databaseName, multipleStatements: true });
      try {
        await new Promise<void>((resolve, reject) => conn.query(script, (error) => (error ? reject(error) : resolve())));
      } finally {
        await end(conn);
      }
    },
    async *stream<T>(sql: string, params: readonly unknown[] = [], streamOptions: StreamOptions = {}) {
      const lease = await acquire(Date.now() + timeoutMs);
      let complete = false;
      try {
        // `bytes`: mysql2 hands every column over as a slice of the packet (typeCast false), and the server sends text as stored
        // rather than converted to the connection's character set; set back before the connection returns to the pool.
        if (streamOptions.bytes) await lease.run('SET character_set_results = binary', [], Date.now() + timeoutMs, timeoutMs);
        const rows = new RowBuffer<T>(lease.conn, lease.conn.query({ sql, typeCast: !streamOptions.bytes }, params as unknown[]));
        for (;;) {
          const row = rows.next();
          if (row !== undefined) yield row;
          else if (!(await rows.more())) break;
        }
        if (streamOptions.bytes) await lease.run('SET character_set_results = utf8mb4', [], Date.now() + timeoutMs, timeoutMs);
        complete = true;
      } catch (error) {
        throw asUnavailable(error);
      } finally {
        // A consumer that stopped early leaves the query running: that connection cannot go back to the pool.
        if (complete) lease.end();
        else lease.giveUp();
      }
    },
    close: () => end(pool),
  };
}

/** Creates the database when missing, or with `mustExist` refuses (StoreNotFoundError) when it is not there. */
async function prepareDatabase(connection: mysql.ConnectionOptions, databaseName: string, parsed: URL, mustExist: boolean): Promise<void> {
  const admin = await connect(connection);
  try {
    if (mustExist) {
      const [rows] = await new Promise<unknown[]>((resolve, reject) =>
        admin.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [databaseName], (error, result) => (error ? reject(error) : resolve([result]))),
      );
      if ((rows as unknown[]).length === 0) throw new StoreNotFoundError(`no database ${databaseName} on ${redact(parsed)}`);
    } else {
      await new Promise<void>((resolve, reject) =>
        admin.query(`CREATE DATABASE IF NOT EXISTS \`${databaseName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`, (error) => (error ? reject(error) : resolve())),
      );
    }
  } finally {
    await end(admin);
  }
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}
