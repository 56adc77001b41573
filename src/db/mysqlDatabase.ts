/**
 * The production store: MariaDB/MySQL with InnoDB through a mysql2 pool.
 * The database named in the URL is created (utf8mb4) when it is missing.
 *
 * Built on mysql2's callback API: its promise wrapper captures a stack trace
 * for every query, which the append profile showed costing more than the
 * query's own JavaScript.
 */
import mysql from 'mysql2';
import type { Database, Sql } from './database.ts';

type Queryable = Pick<mysql.Pool, 'query'> | Pick<mysql.PoolConnection, 'query'>;

function run<T>(conn: Queryable, sql: string, params: readonly unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    conn.query(sql, params as unknown[], (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

function sqlOn(conn: Queryable): Sql {
  return {
    query: <T>(sql: string, params: readonly unknown[] = []) => run<T[]>(conn, sql, params),
    async execute(sql: string, params: readonly unknown[] = []) {
      const result = await run<mysql.ResultSetHeader>(conn, sql, params);
      return { affectedRows: result.affectedRows };
    },
    async batch(statements) {
      if (statements.length === 0) return [];
      const joined = statements.map((st) => st.sql).join(';\n');
      const result = await run<mysql.ResultSetHeader | mysql.ResultSetHeader[]>(conn, joined, statements.flatMap((st) => st.params));
      return (Array.isArray(result) ? result : [result]).map((r) => r.affectedRows);
    },
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
  const poolSql = sqlOn(pool);
  const getConnection = () =>
    new Promise<mysql.PoolConnection>((resolve, reject) => pool.getConnection((error, conn) => (error ? reject(error) : resolve(conn))));

  return {
    dialect: 'mysql',
    displayUrl: redact(parsed),
    forUpdate: ' FOR UPDATE',
    query: poolSql.query,
    execute: poolSql.execute,
    batch: poolSql.batch,
    async transaction(fn) {
      const conn = await getConnection();
      try {
        await run(conn, 'START TRANSACTION', []);
        try {
          const result = await fn(sqlOn(conn));
          await run(conn, 'COMMIT', []);
          return result;
        } catch (error) {
          await run(conn, 'ROLLBACK', []).catch(() => conn.destroy());
          throw error;
        }
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
