/**
 * `thrds export`'s lines on MariaDB/MySQL, put together from the stored
 * bytes. The rows are streamed with `bytes` (the server sends text
 * unconverted, mysql2 hands each column over as a slice of the packet,
 * numbers as their decimal digits), and each line is written straight into
 * the output chunk: the literal keys, the columns' bytes and the instant. Nothing is decoded to a
 * string and encoded again, and the server does no more than it does for a
 * plain scan. (Concatenating the line in SQL cost the server 0.4 s more
 * than the scan over 300,000 events, and the server was then the
 * bottleneck; decoding and encoding took half the process's time.)
 *
 * `lineFromRow` stays the definition of a line. A row takes its path, its
 * columns decoded, where the bytes would not make the same line:
 * - `event_id`, `stream_id`, `type` or `hash` hold a quote, a backslash or a
 *   control character (JSON.stringify would escape it; the columns are
 *   ASCII, so nothing else needs escaping): the SQL flags the row, as a
 *   byte-class REGEXP costs the server little;
 * - `data`, `metadata` or `content` holds a raw line break (stored JSON over
 *   several lines, which only a hand-edited database holds);
 * - no content, while the data names an `erasable` (erased content, written
 *   `"content":null`, or a row missing its erasure key): rare, and decided
 *   by `erasableOf`.
 */
import type { EventRow } from '../events/eventRows.ts';
import { isoInstant } from '../events/isoInstant.ts';
import { lineFromRow } from './eventLine.ts';

/** A row of `bytesLineQuery` streamed with `bytes`: every column as the bytes the server sent, numbers as decimal digits. */
export interface ByteRow {
  readonly position: Buffer;
  readonly event_id: Buffer;
  readonly stream_id: Buffer;
  readonly stream_version: Buffer;
  readonly type: Buffer;
  readonly schema_version: Buffer;
  readonly data: Buffer;
  readonly metadata: Buffer;
  readonly recorded_at: Buffer;
  readonly hash: Buffer;
  readonly content: Buffer | null;
  /** '1' when an ASCII column needs escaping in JSON. */
  readonly odd: Buffer;
}

/** Events after `?` up to `?` (position), in order, as ByteRows (MariaDB/MySQL). */
export const bytesLineQuery =
  'SELECT position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, hash, content,' +
  // A control character, a quote or a backslash (a byte class: MariaDB's JSON_QUOTE took 20 times longer).
  ` CONCAT(event_id, stream_id, type, hash) REGEXP '[\\\\x00-\\\\x1f"\\\\\\\\]' AS odd` +
  ' FROM events WHERE position > ? AND position <= ? ORDER BY position';

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
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
const DIGIT_1 = 0x31;
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
  if (row.odd[0] === DIGIT_1) return false;
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

/** The value of a BIGINT's decimal digits. */
function integerOf(digits: Buffer): number {
  let value = 0;
  const negative = digits[0] === 0x2d;
  for (let i = negative ? 1 : 0; i < digits.length; i += 1) value = value * 10 + (digits[i]! - 0x30);
  return negative ? -value : value;
}

function put(out: Buffer, at: number, bytes: Uint8Array): number {
  out.set(bytes, at);
  return at + bytes.length;
}

/** `lineFromRow`'s line for a row the bytes do not make. */
export function slowLine(row: ByteRow): string {
  const event: EventRow = {
    position: row.position.toString('latin1'),
    event_id: row.event_id.toString('utf8'),
    stream_id: row.stream_id.toString('utf8'),
    stream_version: Number(row.stream_version.toString('latin1')),
    type: row.type.toString('utf8'),
    schema_version: Number(row.schema_version.toString('latin1')),
    data: row.data.toString('utf8'),
    metadata: row.metadata.toString('utf8'),
    recorded_at: row.recorded_at.toString('latin1'),
    hash: row.hash.toString('utf8'),
    content: row.content === null ? null : row.content.toString('utf8'),
    // Not part of a line.
    erasure_key: null,
  };
  return lineFromRow(event);
}
