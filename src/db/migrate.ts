/**
 * Applies the pending SQL files of `migrations/<dialect>/` in version order
 * and records each in `schema_migrations`. Safe to call from several
 * processes at once: MySQL takes a named lock, SQLite a write transaction.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export async function loadMigrations(db: Database): Promise<Migration[]> {
  const dir = `${MIGRATIONS_DIR}${db.dialect}`;
  const files = (await readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.split('_')[0]),
      name: file.replace(/^\d+_/, '').replace(/\.sql$/, ''),
      sql: await readFile(`${dir}/${file}`, 'utf8'),
    })),
  );
}

/** Returns the migrations it applied, oldest first. */
export async function migrate(db: Database): Promise<Migration[]> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)',
  );
  const migrations = await loadMigrations(db);
  return db.dialect === 'mysql' ? migrateMysql(db, migrations) : migrateSqlite(db, migrations);
}

function statements(migration: Migration): string {
  return `${migration.sql.trimEnd().replace(/;$/, '')};\n${recordSql(migration)}`;
}

/** File names are checked by loadMigrations, so the values are safe literals. */
function recordSql(migration: Migration): string {
  return `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${migration.version}, '${migration.name.replace(/[^a-z0-9_]/gi, '')}', ${Date.now()})`;
}

async function pending(db: Database, migrations: Migration[]): Promise<Migration[]> {
  const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((r) => Number(r.version)));
  return migrations.filter((m) => !applied.has(m.version));
}

async function migrateSqlite(db: Database, migrations: Migration[]): Promise<Migration[]> {
  const applied: Migration[] = [];
  for (const migration of await pending(db, migrations)) {
    // SQLite DDL is transactional: the script and its record commit together.
    await db.exec(`BEGIN IMMEDIATE;\n${statements(migration)};\nCOMMIT;`);
    applied.push(migration);
  }
  return applied;
}

async function migrateMysql(db: Database, migrations: Migration[]): Promise<Migration[]> {
  // MySQL DDL commits implicitly, so each script records itself as it ends;
  // a named lock, held on the transaction's connection, keeps two starting servers apart.
  return db.transaction(async (tx) => {
    const [lock] = await tx.query<{ got: number }>("SELECT GET_LOCK('thrds_migrations', 60) AS got");
    if (Number(lock?.got) !== 1) throw new Error('could not take the migration lock within 60 s');
    try {
      const applied: Migration[] = [];
      for (const migration of await pending(db, migrations)) {
        await db.exec(`${statements(migration)}`);
        applied.push(migration);
      }
      return applied;
    } finally {
      await tx.query("SELECT RELEASE_LOCK('thrds_migrations')");
    }
  });
}
