/**
 * `thrds export`'s lines built by the database: one SELECT returns each
 * event as the exact text `lineFromRow` (eventLine.ts) writes, so the
 * process only copies a string per event instead of receiving twelve
 * columns and assembling them. (Measured over 200,000 events on SQLite:
 * the process's CPU fell from 1.6× a plain scan to 0.8×.)
 *
 * `lineFromRow` stays the definition of a line. The database builds the
 * common case and hands back the row itself, as one JSON object, where
 * the line needs what only the JavaScript knows:
 * - erased content (`content` null while the data names an `erasable`):
 *   whether `"content":null` belongs in the line depends on `erasableOf`;
 * - an instant outside years 0000–9999, which the SQL date functions
 *   cannot write as `Date#toISOString` does;
 * - on MariaDB, a string column that needs escaping: its `JSON_QUOTE`
 *   writes `\u000B` where JSON.stringify writes `\u000b` (SQLite's
 *   `json_quote` writes exactly what JSON.stringify writes; a test holds
 *   both to that over every ASCII character).
 * Where the database returns no line at all (a line longer than MariaDB's
 * `max_allowed_packet`) or one holding a raw line break (stored JSON that
 * is not one line, which only a hand-edited database holds), the export
 * reads that row on its own and writes `lineFromRow`'s line.
 */
import type { Dialect } from '../db/database.ts';
import type { EventRow } from '../events/eventRows.ts';

/** What the line query returns for one event. */
export interface LineRow {
  readonly position: number | string;
  /** The finished line; ignore it when `row` is set. */
  readonly line: string | null;
  /** The event's columns as a JSON object, for the lines `lineFromRow` must write. */
  readonly event_row: string | null;
}

/** The last instant (ms) the SQL date functions write like Date#toISOString: 9999-12-31T23:59:59.999Z. */
const LAST_PLAIN_INSTANT = 253_402_300_799_999;

const ROW_COLUMNS = ['position', 'event_id', 'stream_id', 'stream_version', 'type', 'schema_version', 'data', 'metadata', 'recorded_at', 'hash', 'content'] as const;

/** Events after `?` up to `?` (position), in order, as LineRows. */
export function lineQuery(dialect: Dialect): string {
  const d = dialect === 'mysql' ? MARIADB : SQLITE;
  const erased = `(content IS NULL AND ${d.instr('data', `'"erasable":'`)} > 0)`;
  const unusual = `${erased} OR recorded_at < 0 OR recorded_at > ${LAST_PLAIN_INSTANT}${d.escapeCheck ? ` OR ${d.escapeCheck}` : ''}`;
  const line = d.concat([
    `'{"position":"'`, 'position', `'","eventId":'`, d.quote('event_id'), `',"streamId":'`, d.quote('stream_id'),
    `',"streamVersion":'`, 'stream_version', `',"type":'`, d.quote('type'), `',"schemaVersion":'`, 'schema_version',
    `',"data":'`, 'data', `CASE WHEN content IS NULL THEN '' ELSE ${d.concat([`',"content":'`, 'content'])} END`,
    `',"metadata":'`, 'metadata', `',"recordedAt":"'`, d.instant('recorded_at'), `'Z","hash":'`, d.quote('hash'), `'}'`,
  ]);
  const row = `${d.object}(${ROW_COLUMNS.map((c) => `'${c}', ${c === 'data' || c === 'metadata' || c === 'content' ? d.text(c) : c}`).join(', ')})`;
  return `SELECT position, ${line} AS line, CASE WHEN ${unusual} THEN ${row} END AS event_row FROM events WHERE position > ? AND position <= ? ORDER BY position`;
}

/** The columns of a LineRow's `row`. */
export function rowOfLine(row: string): EventRow {
  return { ...(JSON.parse(row) as Omit<EventRow, 'erasure_key'>), erasure_key: null };
}

/** A line the database built that is not one line of text. */
export function unwritable(line: string): boolean {
  return line.includes('\n') || line.includes('\r');
}

interface DialectSql {
  concat(parts: readonly string[]): string;
  quote(column: string): string;
  instr(column: string, text: string): string;
  /** `YYYY-MM-DDTHH:MM:SS.mmm` of a non-negative instant in ms up to year 9999. */
  instant(column: string): string;
  /** A JSON column as a JSON string value (never embedded as JSON). */
  text(column: string): string;
  object: string;
  /** True for a row whose strings `quote` would not write as JSON.stringify does. */
  escapeCheck?: string;
}

const SQLITE: DialectSql = {
  concat: (parts) => parts.join(' || '),
  quote: (column) => `json_quote(${column})`,
  instr: (column, text) => `instr(${column}, ${text})`,
  instant: (column) => `strftime('%Y-%m-%dT%H:%M:%S', ${column} / 1000, 'unixepoch') || '.' || substr(1000 + ${column} % 1000, 2)`,
  text: (column) => column,
  object: 'json_object',
};

const MARIADB: DialectSql = {
  concat: (parts) => `CONCAT(${parts.join(', ')})`,
  // The string columns are ASCII: quoted as they are, unless escapeCheck sends the row to lineFromRow.
  quote: (column) => `'"', ${column}, '"'`,
  instr: (column, text) => `INSTR(${column}, ${text})`,
  instant: (column) => `DATE_FORMAT(DATE_ADD('1970-01-01', INTERVAL ${column} DIV 1000 SECOND), '%Y-%m-%dT%H:%i:%s'), '.', LPAD(${column} MOD 1000, 3, '0')`,
  text: (column) => `CONCAT(${column})`,
  object: 'JSON_OBJECT',
  escapeCheck: `LENGTH(JSON_QUOTE(CONCAT(event_id, stream_id, type, hash))) <> LENGTH(CONCAT(event_id, stream_id, type, hash)) + 2`,
};
