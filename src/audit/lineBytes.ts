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
import { isoInstant } from '../events/isoInstant.ts';
import { lineFromRow } from './eventLine.ts';
import { ascii, type ByteRow, byteRowColumns, decodedRow, integerOf, isOdd, put } from './rowBytes.ts';

/** Events after `?` up to `?` (position), in order, as ByteRows (MariaDB/MySQL). */
export const bytesLineQuery = `SELECT ${byteRowColumns(false)} FROM events WHERE position > ? AND position <= ? ORDER BY position`;

const POSITION = ascii('{"position":"');
const EVENT_ID = ascii('","eventId":"');
const STREAM_ID = ascii('","streamId":"');
const STREAM_VERSION = ascii('","streamVersion":');
const TYPE = ascii(',"type":"');
const SCHEMA_VERSION = ascii('","schemaVersion":');
const DATA = ascii(',"data":');
const CONTENT = ascii(',"content":');
const METADATA = ascii(',"metadata":');
const RECORDED_AT = ascii(',"recordedAt":"');
const HASH = ascii('","hash":"');
const END = ascii('"}');
/** Every literal above, and the longest an instant is written. */
const FIXED_BYTES = 192;
const ERASABLE = ascii('"erasable":');

/** At most how many bytes the row's line takes. */
export function maxLineBytes(row: ByteRow): number {
  return (
    FIXED_BYTES +
    row.position.length +
    row.event_id.length +
    row.stream_id.length +
    row.stream_version.length +
    row.type.length +
    row.schema_version.length +
    row.data.length +
    row.metadata.length +
    row.hash.length +
    (row.content?.length ?? 0)
  );
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
  let i = put(out, at, POSITION);
  i = put(out, i, row.position);
  i = put(out, i, EVENT_ID);
  i = put(out, i, row.event_id);
  i = put(out, i, STREAM_ID);
  i = put(out, i, row.stream_id);
  i = put(out, i, STREAM_VERSION);
  i = put(out, i, row.stream_version);
  i = put(out, i, TYPE);
  i = put(out, i, row.type);
  i = put(out, i, SCHEMA_VERSION);
  i = put(out, i, row.schema_version);
  i = put(out, i, DATA);
  i = put(out, i, row.data);
  if (row.content !== null) {
    i = put(out, i, CONTENT);
    i = put(out, i, row.content);
  }
  i = put(out, i, METADATA);
  i = put(out, i, row.metadata);
  i = put(out, i, RECORDED_AT);
  i += out.write(isoInstant(integerOf(row.recorded_at)), i, 'latin1');
  i = put(out, i, HASH);
  i = put(out, i, row.hash);
  return put(out, i, END);
}

/** `lineFromRow`'s line for a row the bytes do not make. */
export function slowLine(row: ByteRow): string {
  return lineFromRow(decodedRow(row));
}
