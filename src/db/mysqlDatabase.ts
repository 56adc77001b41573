/**
 * The production store: MariaDB/MySQL with InnoDB through a mysql2 pool.
 * The database named in the URL is created (utf8mb4) when it is missing.
 *
 * Built on mysql2's callback API: its promise wrapper captures a stack trace
 * for every query, which the append profile showed costing more than the
 * query's own JavaScript.
 */
import mysql from 'mysql2';
import type { Database, Row, Statement, Transaction } from './database.ts';

type Queryable = Pick<mysql.Pool, 'query'> | Pick<mysql.PoolConnection, 'query'>;

function run<T>(conn: Queryable, sql: string, params: readonly unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    conn.query(sql, params as unknown[], (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

/** Sends statements as one multi-statement query and returns each one's result. */
async function send(conn: Queryable, statements: readonly Statement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  const result = await run<unknown>(conn, statements.map((st) => st.sql).join(';\n'), statements.flatMap((st) => st.params));
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
    private readonly conn: Queryable,
    private readonly inTransaction: boolean,
  ) {}

  private async sendAll(statements: readonly Statement[]): Promise<unknown[]> {
    if (!this.inTransaction || this.begun) return send(this.conn, statements);
    this.begun = true;
    return (await send(this.conn, [START, ...statements])).slice(1);
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

function connect(options: mysql.ConnectionOptions): Promise<mysql.Connection> {
  return new Promise((resolve, reject) => {
    const conn = mysql.createConnection(options);
    conn.connect((error) => (error ? reject(error) : resolve(conn)));
  });
}

function end(conn: mysql.Connection | mysql.Pool): Promise<void> {
  return new Promise((resolve) => conn.end(() => resolve()));
}

export interface MysqlOptions {
  readonly connectionLimit?: number;
}

export async function openMysqlDatabase(url: string, options: MysqlOptions = {}): Promise<Database> {
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const databaseName = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!databaseName) throw new Error(`DATABASE_URL names no database: ${redact(parsed)}`);
  if (!/^[A-Za-z0-9_$]+$/.test(databaseName)) throw new Error(`unsupported database name: ${databaseName}`);
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
  };

  const admin = await connect(connection);
  try {
    await run(admin, `CREATE DATABASE IF NOT EXISTS \`${databaseName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`, []);
  } finally {
    await end(admin);
  }

  const limit = options.connectionLimit ?? 12;
  // multipleStatements lets a group's writes travel in one round trip (Sql.batch); every value is a placeholder.
  const pool = mysql.createPool({ ...connection, database: databaseName, connectionLimit: limit, maxIdle: limit, enableKeepAlive: true, multipleStatements: true });
  const poolSql = new MysqlSql(pool, false);
  const getConnection = () =>
    new Promise<mysql.PoolConnection>((resolve, reject) => pool.getConnection((error, conn) => (error ? reject(error) : resolve(conn))));

  return {
    dialect: 'mysql',
    displayUrl: redact(parsed),
    forUpdate: ' FOR UPDATE',
    query: poolSql.query,
    execute: poolSql.execute,
    batch: poolSql.batch,
    queryEach: poolSql.queryEach,
    async transaction(fn) {
      const conn = await getConnection();
      const tx = new MysqlSql(conn, true);
      try {
        const result = await fn(tx);
        if (tx.begun && !tx.committed) await run(conn, 'COMMIT', []);
        return result;
      } catch (error) {
        if (tx.begun && !tx.committed) await run(conn, 'ROLLBACK', []).catch(() => conn.destroy());
        throw error;
      } finally {
        conn.release();
      }
    },
    async exec(script) {
      const conn = await connect({ ...connection, database: databaseName, multipleStatements: true });
      try {
        await run(conn, script, []);
      } finally {
        await end(conn);
      }
    },
    async *stream<T>(sql: string, params: readonly unknown[] = []) {
      const conn = await getConnection();
      let complete = false;
      try {
        const rows = conn.query(sql, params as unknown[]).stream({ highWaterMark: 1000 });
        for await (const row of rows) yield row as T;
        complete = true;
      } finally {
        // A consumer that stopped early leaves the query running: that connection cannot go back to the pool.
        if (complete) conn.release();
        else conn.destroy();
      }
    },
    close: () => end(pool),
  };
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}
