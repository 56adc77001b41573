/**
 * The text each event's hash covers (hashChain.ts), put together from the
 * row's stored bytes (rowBytes.ts) for `thrds verify` on MariaDB/MySQL: the
 * previous hash, a newline and the canonical JSON object, its nine keys in
 * sorted order, `data` and `metadata` as stored (canonical JSON, the bytes
 * the hash covers). Hashing those bytes as they are spares decoding every
 * column to a string and encoding the joined text again: over 300,000
 * events, that and building the string were most of verify's own time.
 */
import { type ByteRow, template, templateBytes, writeTemplate } from './rowBytes.ts';

/** The canonical object after the previous hash and its newline: nine keys in sorted order (hashChain.ts). */
const HASHED = template(
  [
    ['\n{"data":', 'data'],
    [',"eventId":"', 'event_id'],
    ['","metadata":', 'metadata'],
    [',"position":', 'position'],
    [',"recordedAt":"', 'instant'],
    ['","schemaVersion":', 'schema_version'],
    [',"streamId":"', 'stream_id'],
    ['","streamVersion":', 'stream_version'],
    [',"type":"', 'type'],
  ],
  '"}',
);

export function maxHashedBytes(row: ByteRow, previousHash: string): number {
  return previousHash.length + templateBytes(HASHED, row);
}

/**
 * Writes what the row's hash covers into `out` from 0 (it has
 * `maxHashedBytes` room); returns where it ends. Exact for a row that is not
 * `odd`, whose `previousHash` is ASCII (a stored hash is).
 */
export function writeHashedBytes(out: Buffer, row: ByteRow, previousHash: string): number {
  return writeTemplate(out, out.write(previousHash, 0, 'latin1'), row, HASHED);
}
