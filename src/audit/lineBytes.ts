/**
 * `thrds export`'s lines on MariaDB/MySQL, put together from the stored
 * bytes (rowBytes.ts): each line is written straight into the output chunk,
 * the literal keys around the columns' bytes and the instant. Nothing is
 * decoded and encoded again, and the server does little more than for a
 * plain scan. (Concatenating the line in SQL cost the server 0.4 s more
 * than the scan over 300,000 events, and it was then the bottleneck;
 * decoding and encoding took half the process's time.)
 *
 * `lineFromRow` stays the definition of a line. A row takes its path, its
 * columns decoded, where the bytes would not make the same line:
 * - an ASCII column needs escaping in JSON (`odd`);
 * - `data`, `metadata` or `content` holds a raw line break (stored JSON over
 *   several lines, which only a hand-edited database holds);
 * - no content, while the data names an `erasable` (erased content, written
 *   `"content":null`, or a row missing its erasure key): rare, and decided
 *   by `erasableOf`.
 */
import { lineFromRow } from './eventLine.ts';
import { ascii, type ByteRow, byteRowColumns, decodedRow, isOdd, template, templateBytes, writeTemplate } from './rowBytes.ts';

/** Events after `?` up to `?` (position), in order, as ByteRows (MariaDB/MySQL). */
export const bytesLineQuery = `SELECT ${byteRowColumns(false)} FROM events WHERE position > ? AND position <= ? ORDER BY position`;

/** `lineFromRow`'s line, key for key. */
const LINE = template(
  [
    ['{"position":"', 'position'],
    ['","eventId":"', 'event_id'],
    ['","streamId":"', 'stream_id'],
    ['","streamVersion":', 'stream_version'],
    [',"type":"', 'type'],
    ['","schemaVersion":', 'schema_version'],
    [',"data":', 'data'],
    [',"content":', 'content'],
    [',"metadata":', 'metadata'],
    [',"recordedAt":"', 'instant'],
    ['","hash":"', 'hash'],
  ],
  '"}',
);
const ERASABLE = ascii('"erasable":');

/** At most how many bytes the row's line takes. */
export function maxLineBytes(row: ByteRow): number {
  return templateBytes(LINE, row);
}

/** Whether the bytes make the line `lineFromRow` writes; otherwise the row's line is `slowLine`'s. */
export function bytesMakeTheLine(row: ByteRow): boolean {
  if (isOdd(row)) return false;
  const { data, metadata, content } = row;
  if (content === null && data.includes(ERASABLE)) return false;
  return !hasLineBreak(data) && !hasLineBreak(metadata) && !(content !== null && hasLineBreak(content));
}

function hasLineBreak(bytes: Buffer): boolean {
  return bytes.includes(0x0a) || bytes.includes(0x0d);
}

/** Writes the row's line (no newline) into `out` from `at`, which has `maxLineBytes(row)` free; returns where it ends. */
export function writeLineBytes(out: Buffer, at: number, row: ByteRow): number {
  return writeTemplate(out, at, row, LINE);
}

/** `lineFromRow`'s line for a row the bytes do not make. */
export function slowLine(row: ByteRow): string {
  return lineFromRow(decodedRow(row));
}
