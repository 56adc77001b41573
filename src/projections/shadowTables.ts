/**
 * Fresh copies of read-model tables for an online rebuild: same columns,
 * keys and indexes as the live table, empty. MySQL copies with
 * `CREATE TABLE … LIKE`; SQLite replays the table's DDL from sqlite_master
 * under the new name and re-creates the secondary indexes, under their
 * original names, when the copy takes the live table's place.
 *
 * On MySQL a rebuild fills its copies without their plain and FULLTEXT
 * indexes and adds them once filled: InnoDB then builds each by sorting,
 * where a fill that keeps them inserts into every index row by row (and
 * feeds the FULLTEXT cache word by word). No statement of a fill reads
 * through those indexes; unique ones stay, so a fill still refuses what a
 * live table would.
 */
import type { Database, Sql } from '../db/database.ts';
import { tableName } from './projection.ts';
import { BULK_TIMEOUT_MS } from '../db/deadline.ts';

export const shadowName = (table: string): string => tableName(`${table}_rebuild`);
export const retiredName = (table: string): string => tableName(`${table}_old`);

/** Creates `copy` empty, shaped like `table`, dropping any older table of that name first. */
export async function createTableLike(db: Database, table: string, copy: string): Promise<void> {
  const live = tableName(table);
  const target = tableName(copy);
  await db.execute(`DROP TABLE IF EXISTS ${target}`);
  if (db.dialect === 'mysql') {
    await db.execute(`CREATE TABLE ${target} LIKE ${live}`);
    return;
  }
  const ddl = await tableDdl(db, live);
  // An FTS5 table (search) is a VIRTUAL one: its DDL replays the same way, and FTS5 makes its own shadow tables under the new name.
  await db.execute(ddl.replace(/^CREATE (VIRTUAL )?TABLE\s+(?:IF NOT EXISTS\s+)?(["`]?)(\w+)\2/i, (_all, virtual: string | undefined) => `CREATE ${virtual ?? ''}TABLE ${target}`));
}

/**
 * MySQL: drops the copy's non-unique secondary indexes (plain, FULLTEXT,
 * SPATIAL) and returns their definitions, as SHOW CREATE TABLE writes them,
 * for `addIndexes` to put back.
 */
export async function deferIndexes(db: Database, copy: string): Promise<string[]> {
  const target = tableName(copy);
  const [row] = await db.query<Record<string, string>>(`SHOW CREATE TABLE ${target}`);
  const ddl = row?.['Create Table'];
  if (!ddl) throw new Error(`no table ${target} to read`);
  const deferred = ddl
    .split('\n')
    .map((line) => /^\s+((?:FULLTEXT |SPATIAL )?KEY `((?:[^`]|``)+)` .*?),?$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ definition: match[1]!, name: match[2]! }));
  if (deferred.length > 0) await db.execute(`ALTER TABLE ${target} ${deferred.map((index) => `DROP INDEX \`${index.name}\``).join(', ')}`);
  return deferred.map((index) => index.definition);
}

/**
 * MySQL: adds back what `deferIndexes` dropped; InnoDB builds one FULLTEXT
 * index per ALTER, so each goes alone. Building an index over a large table
 * takes longer than a request's deadline: each ALTER gets a bulk tool's.
 */
export async function addIndexes(db: Database, copy: string, definitions: readonly string[]): Promise<void> {
  const target = tableName(copy);
  const plain = definitions.filter((d) => !d.startsWith('FULLTEXT '));
  const alters = [
    ...(plain.length > 0 ? [`ALTER TABLE ${target} ${plain.map((d) => `ADD ${d}`).join(', ')}`] : []),
    ...definitions.filter((d) => d.startsWith('FULLTEXT ')).map((fullText) => `ALTER TABLE ${target} ADD ${fullText}`),
  ];
  // DDL commits on its own: the transaction is only how a statement gets its own deadline.
  for (const alter of alters) await db.transaction((tx) => tx.execute(alter), { timeoutMs: BULK_TIMEOUT_MS });
}

async function tableDdl(db: Sql, table: string): Promise<string> {
  const [row] = await db.query<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
  if (!row) throw new Error(`no table ${table} to copy`);
  return row.sql;
}

/**
 * SQLite, inside the caller's write transaction: the live table goes, the
 * copy takes its name, and the live table's own indexes are rebuilt on it.
 */
export async function swapSqliteTable(tx: Sql, table: string): Promise<void> {
  const live = tableName(table);
  const indexes = await tx.query<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [live]);
  await tx.execute(`DROP TABLE ${live}`);
  await tx.execute(`ALTER TABLE ${shadowName(table)} RENAME TO ${live}`);
  for (const index of indexes) await tx.execute(index.sql);
}

/** MySQL: one atomic RENAME of every pair, so readers see all old tables or all new ones. */
export function mysqlSwapStatement(tables: readonly string[]): string {
  return `RENAME TABLE ${tables.map((t) => `${tableName(t)} TO ${retiredName(t)}, ${shadowName(t)} TO ${tableName(t)}`).join(', ')}`;
}
