/**
 * The raw-insert baseline's table: the events table exactly as the MariaDB
 * migration defines it (columns, checks, unique keys); for the plain
 * baseline the position comes from AUTO_INCREMENT, since it has no counter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './childProcesses.ts';

export function eventsTableDdl(table: string, autoIncrement = true): string {
  const migration = readFileSync(join(repoRoot, 'migrations/mysql/001_event_log.sql'), 'utf8');
  const statement = /CREATE TABLE events \([\s\S]*?\)[^;]*;/.exec(migration)?.[0];
  if (!statement) throw new Error('migrations/mysql/001_event_log.sql: no CREATE TABLE events statement found');
  const renamed = statement.replace('CREATE TABLE events', `CREATE TABLE \`${table}\``);
  if (!autoIncrement) return renamed;
  const ddl = renamed
    .replace(/position BIGINT UNSIGNED NOT NULL PRIMARY KEY/, 'position BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY');
  if (!ddl.includes('AUTO_INCREMENT')) throw new Error('the events table no longer starts with `position BIGINT UNSIGNED NOT NULL PRIMARY KEY`: update bench/support/eventsTableShape.ts');
  return ddl;
}
