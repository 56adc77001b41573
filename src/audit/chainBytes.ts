/**
 * The text each event's hash covers (hashChain.ts), put together from the
 * row's stored bytes (rowBytes.ts) for `thrds verify` on MariaDB/MySQL: the
 * previous hash, a newline and the canonical JSON object, its nine keys in
 * sorted order, `data` and `metadata` as stored (canonical JSON, the bytes
 * the hash covers). Hashing those bytes as they are spares decoding every
 * column to a string and encoding the joined text again: over 300,000
 * events, that and building the string were most of verify's own time.
 */
import { isoInstant } from '../events/isoInstant.ts';
import { ascii, type ByteRow, put } from './rowBytes.ts';

const DATA = ascii('\n{"data":');
const EVENT_ID = ascii(',"eventId":"');
const METADATA = ascii('","metadata":');
const POSITION = ascii(',"position":');
const RECORDED_AT = ascii(',"recordedAt":"');
const SCHEMA_VERSION = ascii('","schemaVersion":');
const STREAM_ID = ascii(',"streamId":"');
const STREAM_VERSION = ascii('","streamVersion":');
const TYPE = ascii(',"type":"');
const END = ascii('"}');
/** Every literal above, the previous hash and the longest an instant is written. */
const FIXED_BYTES = 256;

export function maxHashedBytes(row: ByteRow, previousHash: string): number {
  return (
    FIXED_BYTES +
    previousHash.length +
    row.data.length +
    row.event_id.length +
    row.metadata.length +
    row.position.length +
    row.schema_version.length +
    row.stream_id.length +
    row.stream_version.length +
    row.type.length
  );
}

/**
 * Writes what the row's hash covers into `out` from 0 (it has
 * `maxHashedBytes` room); returns where it ends. Exact for a row that is not
 * `odd`, whose `previousHash` is ASCII (a stored hash is).
 */
export function writeHashedBytes(out: Buffer, row: ByteRow, previousHash: string, recordedAt: number): number {
  let i = out.write(previousHash, 0, 'latin1');
  i = put(out, i, DATA);
  i = put(out, i, row.data);
  i = put(out, i, EVENT_ID);
  i = put(out, i, row.event_id);
  i = put(out, i, METADATA);
  i = put(out, i, row.metadata);
  i = put(out, i, POSITION);
  i = put(out, i, row.position);
  i = put(out, i, RECORDED_AT);
  i += out.write(isoInstant(recordedAt), i, 'latin1');
  i = put(out, i, SCHEMA_VERSION);
  i = put(out, i, row.schema_version);
  i = put(out, i, STREAM_ID);
  i = put(out, i, row.stream_id);
  i = put(out, i, STREAM_VERSION);
  i = put(out, i, row.stream_version);
  i = put(out, i, TYPE);
  i = put(out, i, row.type);
  return put(out, i, END);
}
