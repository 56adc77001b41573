/**
 * `thrds export`'s lines on SQLite, built by the database: one SELECT
 * returns each event's line up to its metadata as one string, and the
 * process adds the instant and the hash, instead of receiving twelve
 * columns and assembling them. (Over 200,000 events the process's CPU fell
 * from 1.6× a plain scan to 0.8×.) MariaDB's lines are put together from
 * the stored bytes instead (lineBytes.ts): concatenating them in SQL made
 * its server the bottleneck.
 *
 * `lineFromRow` stays the definition of a line. The database hands back
 * the row itself, as one JSON object, where the line needs what only the
 * JavaScript knows: erased content (`content` null while the data names an
 * `erasable`), since whether `"content":null` belongs in the line depends
 * on `erasableOf`. `json_quote` writes exactly what JSON.stringify writes
 * (a test holds both to that over every ASCII character). Where the line
 * holds a raw line break (stored JSON that is not one line, which only a
 * hand-edited database holds) or data naming an `erasable` on a row with no
 * erasure key, the export reads that row on its own and writes
 * `lineFromRow`'s line.
 */
import type { EventRow } from '../events/eventRows.ts';
import { isoInstant } from '../events/isoInstant.ts';
import { lineFromRow } from './eventLine.ts';

/** What the line query returns for one event. */
export interface LineRow {
  readonly position: number | string;
  /** The line up to its metadata; `lineOf` finishes it. */
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
export function lineQuery(): string {
  // Erased content, found by the erasure key every row with erasable data has (`bare` catches one without).
  const erased = `(content IS NULL AND erasure_key IS NOT NULL AND instr(data, '"erasable":') > 0)`;
  const line = [
    `'{"position":"'`, 'position', `'","eventId":'`, 'json_quote(event_id)', `',"streamId":'`, 'json_quote(stream_id)',
    `',"streamVersion":'`, 'stream_version', `',"type":'`, 'json_quote(type)', `',"schemaVersion":'`, 'schema_version',
    `',"data":'`, 'data', `CASE WHEN content IS NULL THEN '' ELSE ',"content":' || content END`,
    `',"metadata":'`, 'metadata',
  ].join(' || ');
  const row = `json_object(${ROW_COLUMNS.map((c) => `'${c}', ${c}`).join(', ')})`;
  return (
    `SELECT position, ${line} AS line, recorded_at, hash, (content IS NULL AND erasure_key IS NULL) AS bare, CASE WHEN ${erased} THEN ${row} END AS event_row` +
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
