/**
 * `thrds export`'s lines built by the database: one SELECT returns each
 * event's line up to its metadata as one string, and the process adds the
 * instant and the hash, instead of receiving twelve columns and assembling
 * them. (Over 200,000 events on SQLite the process's CPU fell from 1.6× a
 * plain scan to 0.8×; on MariaDB the date functions, JSON_QUOTE and INSTR
 * on every row made the server the bottleneck, so the SQL keeps to string
 * concatenation and checks that are cheap.)
 *
 * `lineFromRow` stays the definition of a line. The database hands back
 * the row itself, as one JSON object, where the line needs what only the
 * JavaScript knows:
 * - erased content (`content` null while the data names an `erasable`):
 *   whether `"content":null` belongs in the line depends on `erasableOf`;
 * - on MariaDB, a string column that needs escaping: its `JSON_QUOTE`
 *   writes `\u000B` where JSON.stringify writes `\u000b`, so the strings
 *   go out quoted as they are unless they hold a quote, a backslash or a
 *   control character (SQLite's `json_quote` writes exactly what
 *   JSON.stringify writes; a test holds both to that over every ASCII
 *   character).
 * Where the database returns no line (one longer than MariaDB's
 * `max_allowed_packet`), one holding a raw line break (stored JSON that
 * is not one line, which only a hand-edited database holds) or data
 * naming an `erasable` on a row with no erasure key, the export reads
 * that row on its own and writes `lineFromRow`'s line.
 */
import type { Dialect } from '../db/database.ts';
import type { EventRow } from '../events/eventRows.ts';
import { isoInstant } from '../events/isoInstant.ts';
import { lineFromRow } from './eventLine.ts';

/** What the line query returns for one event. */
export interface LineRow {
  readonly position: number | string;
  /** The line up to its metadata (null past MariaDB's max_allowed_packet); `lineOf` finishes it. */
  readonly line: string | null;
  readonly recorded_at: number | string;
  readonly hash: string;
  /** 1 when the row has neither content nor an erasure key (then its data should name no `erasable`). */
  readonly bare: number | string;
  /** The event's columns as a JSON object, for the lines `lineFromRow` must write. */
  readonly event_row: string | null;
}

const ROW_COLUMNS = ['position', 'event_id', 'stream_id', 'stream_version', 'type', 'schema_version', 'data', 'metadata', 'recorded_at', 'hash', 'content'] as const;

/** Events after `?` up to `?` (position), in order, as LineRows. */
export function lineQuery(dialect: Dialect): string {
  const d = dialect === 'mysql' ? MARIADB : SQLITE;
  // Erased content, found by the erasure key every row with erasable data has (`bare` catches one without).
  const erased = `(content IS NULL AND erasure_key IS NOT NULL AND ${d.instr('data', `'"erasable":'`)} > 0)`;
  const unusual = d.escapeCheck ? `${erased} OR ${d.escapeCheck}` : erased;
  const line = d.concat([
    `'{"position":"'`, 'position', `'","eventId":'`, d.quote('event_id'), `',"streamId":'`, d.quote('stream_id'),
    `',"streamVersion":'`, 'stream_version', `',"type":'`, d.quote('type'), `',"schemaVersion":'`, 'schema_version',
    `',"data":'`, 'data', `CASE WHEN content IS NULL THEN '' ELSE ${d.concat([`',"content":'`, 'content'])} END`,
    `',"metadata":'`, 'metadata',
  ]);
  const row = `${d.object}(${ROW_COLUMNS.map((c) => `'${c}', ${c === 'data' || c === 'metadata' || c === 'content' ? d.text(c) : c}`).join(', ')})`;
  return (
    `SELECT position, ${line} AS line, recorded_at, hash, (content IS NULL AND erasure_key IS NULL) AS bare, CASE WHEN ${unusual} THEN ${row} END AS event_row` +
    ' FROM events WHERE position > ? AND position <= ? ORDER BY position'
  );
}

/**
 * The finished line, or undefined where the export must read the row and
 * write lineFromRow's line: no line, a line over several lines, or data
 * naming an `erasable` on a row without an erasure key.
 */
export function lineOf(row: LineRow): string | undefined {
  if (row.event_row !== null) return lineFromRow({ ...(JSON.parse(row.event_row) as Omit<EventRow, 'erasure_key'>), erasure_key: null });
  const head = row.line;
  if (head === null || head.includes('\n') || head.includes('\r') || (Number(row.bare) === 1 && head.includes('"erasable":'))) return undefined;
  // The instant and the hash are the process's: JavaScript writes the instant as Date#toISOString does at any year, and faster than SQL.
  return `${head},"recordedAt":"${isoInstant(Number(row.recorded_at))}","hash":${JSON.stringify(row.hash)}}`;
}

interface DialectSql {
  concat(parts: readonly string[]): string;
  quote(column: string): string;
  instr(column: string, text: string): string;
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
  text: (column) => column,
  object: 'json_object',
};

const MARIADB: DialectSql = {
  concat: (parts) => `CONCAT(${parts.join(', ')})`,
  // The string columns are ASCII: quoted as they are, unless escapeCheck sends the row to lineFromRow.
  quote: (column) => `'"', ${column}, '"'`,
  instr: (column, text) => `INSTR(${column}, ${text})`,
  text: (column) => `CONCAT(${column})`,
  object: 'JSON_OBJECT',
  // A control character, a quote or a backslash (a byte class: MariaDB's JSON_QUOTE took 20 times longer).
  escapeCheck: `CONCAT(event_id, stream_id, type) REGEXP '[\\\\x00-\\\\x1f"\\\\\\\\]'`,
};
