/**
 * The production store: MariaDB/MySQL with InnoDB through a mysql2 pool.
 * The database named in the URL is created (utf8mb4) when it is missing.
 */
import type { Connection as CallbackConnection } from 'mysql2';
import mysql from 'mysql2/promise';
import type { Database, Sql } from './database.ts';

type Queryable = Pick<mysql.Pool, 'query'> | Pick<mysql.PoolConnection, 'query'>;

function sqlOn(conn: Queryable): Sql {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const [rows] = await conn.query(sql, params as unknown[]);
      return rows as T[];
    },
    async execute(sql: string, params: readonly unknown[] = []) {
      const [result] = await conn.query(sql, params as unknown[]);
      return { affectedRows: (result as mysql.ResultSetHeader).affectedRows };
    },
  };
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

  const admin = await mysql.createConnection(connection);
  try {
    await admin.query(
      `CREATE DATABASE IF NOT EXISTS \`${databaseName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await admin.end();
  }

  const pool = mysql.createPool({
    ...connection,
    database: databaseName,
    connectionLimit: options.connectionLimit ?? 12,
    maxIdle: options.connectionLimit ?? 12,
    enableKeepAlive: true,
  });
  const poolSql = sqlOn(pool);

  return {
    dialect: 'mysql',
    displayUrl: redact(parsed),
    forUpdate: ' FOR UPDATE',
    query: poolSql.query,
    execute: poolSql.execute,
    async transaction(fn) {
      const conn = await pool.getConnection();
      try {
        await conn.query('START TRANSACTION');
        try {
          const result = await fn(sqlOn(conn));
          await conn.query('COMMIT');
          return result;
        } catch (error) {
          await conn.query('ROLLBACK').catch(() => conn.destroy());
          throw error;
        }
      } finally {
        conn.release();
      }
    },
    async exec(script) {
      const conn = await mysql.createConnection({ ...connection, database: databaseName, multipleStatements: true });
      try {
        await conn.query(script);
      } finally {
        await conn.end();
      }
    },
    async *stream<T>(sql: string, params: readonly unknown[] = []) {
      const conn = await pool.getConnection();
      try {
        // The promise wrapper hides the callback connection that can stream rows.
        const core = conn.connection as unknown as CallbackConnection;
        const rows = core.query(sql, params as unknown[]).stream({ highWaterMark: 1000 });
        for await (const row of rows) yield row as T;
      } finally {
        conn.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}
