/**
 * Stores in the states the CLI must tell apart: one that exists but holds
 * no tables, and one that does not exist at all (and must not be created
 * by a read-only command).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { createTestDatabase, MYSQL_SERVER_URL, type StoreKind, type TestDatabase } from '../../support/databases.ts';

function databaseName(url: string): string {
  return new URL(url).pathname.slice(1);
}

async function onServer<T>(fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({ uri: MYSQL_SERVER_URL.replace(/\/+$/, '') });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

/** The SQLite file path of a `sqlite:` URL. */
export function sqlitePath(url: string): string {
  return url.startsWith('sqlite:file:') ? fileURLToPath(url.slice('sqlite:'.length)) : url.slice('sqlite:'.length);
}

/** A store that exists but has no tables: an empty SQLite file, or an empty MariaDB database. */
export async function createEmptyStore(kind: StoreKind): Promise<TestDatabase> {
  const db = await createTestDatabase(kind);
  if (kind === 'sqlite') writeFileSync(sqlitePath(db.url), '');
  else await onServer((conn) => conn.query(`CREATE DATABASE \`${databaseName(db.url)}\``));
  return db;
}

/** Whether the store behind `url` exists (the SQLite file, or the MariaDB database). */
export async function storeExists(url: string): Promise<boolean> {
  if (url.startsWith('sqlite:')) return existsSync(sqlitePath(url));
  const [rows] = await onServer((conn) => conn.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [databaseName(url)]));
  return (rows as unknown[]).length > 0;
}

/** Runs SQL on the MariaDB server itself (no database selected). */
export function onMariadbServer<T>(fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  return onServer(fn);
}
