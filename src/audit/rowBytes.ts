/**
 * Event rows as the bytes MariaDB/MySQL sends, for the log tools that read
 * every event (`thrds export`, lineBytes.ts; `thrds verify`, chainBytes.ts).
 * Streamed with `bytes`, mysql2 hands each column over as a slice of the
 * packet, numbers as their decimal digits, and the tools write those bytes
 * where they are needed rather than decoding them to strings and encoding
 * them again. The stored text is UTF-8, and `event_id`, `stream_id`,
 * `type` and `hash` are ASCII columns, so their bytes are their JSON string
 * contents unless they hold a quote, a backslash or a control character:
 * the query flags those rows (`odd`), and the tools take the decoded path
 * for them.
 */
import type { EventRow } from '../events/eventRows.ts';
import { isoInstant } from '../events/isoInstant.ts';

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
  /** Selected where the tool needs it (verify's erasure check). */
  readonly erasure_key?: Buffer | null;
  /** '1' when an ASCII column needs escaping in JSON. */
  readonly odd: Buffer;
}

/** The events' columns, and the `odd` flag, for a query streamed with `bytes`. */
export function byteRowColumns(withErasureKey: boolean): string {
  return (
    `position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, hash, content${withErasureKey ? ', erasure_key' : ''},` +
    // A control character, a quote or a backslash (a byte class: MariaDB's JSON_QUOTE took 20 times longer).
    ` CONCAT(event_id, stream_id, type, hash) REGEXP '[\\\\x00-\\\\x1f"\\\\\\\\]' AS odd`
  );
}

const DIGIT_1 = 0x31;

/** Whether an ASCII column of the row needs escaping in JSON. */
export function isOdd(row: ByteRow): boolean {
  return row.odd[0] === DIGIT_1;
}

/** Bytes of ASCII text (the literals the tools write around the columns). */
export const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

/** The value of a BIGINT's decimal digits. */
export function integerOf(digits: Buffer): number {
  let value = 0;
  const negative = digits[0] === 0x2d;
  for (let i = negative ? 1 : 0; i < digits.length; i += 1) value = value * 10 + (digits[i]! - 0x30);
  return negative ? -value : value;
}

/** A column of a ByteRow, or `instant`: `recorded_at` written as isoInstant writes it. */
export type Field = Exclude<keyof ByteRow, 'odd'> | 'instant';

/**
 * A text put together from a row: each field after its ASCII literal, then
 * the end. A field that is NULL (`content` without content) is left out
 * with its literal.
 */
export interface Template {
  readonly literals: readonly Buffer[];
  readonly fields: readonly Field[];
  readonly end: Buffer;
  /** The literals, and the longest an instant is written. */
  readonly fixedBytes: number;
}

export function template(parts: readonly (readonly [literal: string, field: Field])[], end: string): Template {
  const literals = parts.map(([literal]) => ascii(literal));
  return { literals, fields: parts.map(([, field]) => field), end: ascii(end), fixedBytes: literals.reduce((sum, l) => sum + l.length, end.length) + 32 };
}

/** At most how many bytes `writeTemplate` writes for the row. */
export function templateBytes(t: Template, row: ByteRow): number {
  let bytes = t.fixedBytes;
  for (const field of t.fields) if (field !== 'instant') bytes += row[field]?.length ?? 0;
  return bytes;
}

/** Writes the row's text into `out` from `at` (with `templateBytes` free); returns where it ends. */
export function writeTemplate(out: Buffer, at: number, row: ByteRow, t: Template): number {
  const { literals, fields } = t;
  let i = at;
  for (let k = 0; k < fields.length; k += 1) {
    const field = fields[k]!;
    if (field === 'instant') {
      i = put(out, i, literals[k]!);
      i += out.write(isoInstant(integerOf(row.recorded_at)), i, 'latin1');
      continue;
    }
    const value = row[field];
    if (value === null || value === undefined) continue;
    i = put(out, i, literals[k]!);
    i = put(out, i, value);
  }
  return put(out, i, t.end);
}

/** Copies `bytes` into `out` at `at`; returns where they end. */
export function put(out: Buffer, at: number, bytes: Uint8Array): number {
  out.set(bytes, at);
  return at + bytes.length;
}

/** The row with its columns decoded, for the paths that take an EventRow. */
export function decodedRow(row: ByteRow): EventRow {
  return {
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
    erasure_key: row.erasure_key ? row.erasure_key.toString('utf8') : null,
  };
}
