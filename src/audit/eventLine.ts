/**
 * One event as one JSON line, in its stored form (never upcast): the format
 * of `thrds export`, `thrds import` and `thrds events`. Values have the
 * API's types: `position` a decimal string (the Position scalar),
 * `recordedAt` ISO-8601 in UTC with milliseconds (the DateTime scalar).
 * Keys keep the order of StoredEvent so a line reads the same way every time.
 *
 * Import also reads the first format (thrds 0.1.0): `position` a JSON
 * number, `recordedAt` milliseconds since the epoch. Both carry the same
 * instant to the millisecond, so the hash chain checks out either way.
 */
import { type EventRow, rowFromEvent } from '../events/eventRows.ts';
import type { EventMetadata, StoredEvent } from '../events/types.ts';

/**
 * Builds the line straight from a row: the stored JSON text of `data` and
 * `metadata` goes out as it is (the columns only hold valid JSON), so export
 * never parses and re-serializes the bodies.
 */
export function lineFromRow(row: EventRow): string {
  return (
    `{"position":"${Number(row.position)}","eventId":${JSON.stringify(row.event_id)},"streamId":${JSON.stringify(row.stream_id)}` +
    `,"streamVersion":${Number(row.stream_version)},"type":${JSON.stringify(row.type)},"schemaVersion":${Number(row.schema_version)}` +
    `,"data":${jsonText(row.data)},"metadata":${jsonText(row.metadata)},"recordedAt":"${new Date(Number(row.recorded_at)).toISOString()}","hash":${JSON.stringify(row.hash)}}`
  );
}

/** The same line from an event: `data` and `metadata` in canonical JSON, as the store keeps them. */
export function lineFromEvent(event: StoredEvent): string {
  return lineFromRow(rowFromEvent(event));
}

/** Text that is one line of JSON whatever the driver returned (text, or a parsed JSON column). */
function jsonText(value: string | object): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return value.includes('\n') || value.includes('\r') ? JSON.stringify(JSON.parse(value)) : value;
}

export class BadLineError extends Error {
  override readonly name = 'BadLineError';
  constructor(
    readonly lineNumber: number,
    message: string,
  ) {
    super(`line ${lineNumber}: ${message}`);
  }
}

const POSITION = /^(0|[1-9][0-9]{0,15})$/;
/** What Date#toISOString writes (years beyond 9999 as ±YYYYYY), or an explicit offset. */
const ISO_8601 = /^(\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Parses and checks the shape of one exported line, in either format. */
export function eventFromLine(text: string, lineNumber: number): StoredEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadLineError(lineNumber, `not JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BadLineError(lineNumber, 'not a JSON object');
  const fields = value as Record<string, unknown>;
  const integer = (key: string, min: number): number => {
    const n = fields[key];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) throw new BadLineError(lineNumber, `${key} must be an integer ≥ ${min}`);
    return n;
  };
  const position = (): number => {
    const given = fields.position;
    const n = typeof given === 'string' && POSITION.test(given) ? Number(given) : given;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new BadLineError(lineNumber, 'position must be a decimal string of a whole number ≥ 1, e.g. "42"');
    return n;
  };
  const instant = (): number => {
    const given = fields.recordedAt;
    if (typeof given === 'number' && Number.isSafeInteger(given) && given >= 0) return given;
    const ms = typeof given === 'string' && ISO_8601.test(given) ? Date.parse(given) : Number.NaN;
    if (Number.isNaN(ms) || ms < 0) throw new BadLineError(lineNumber, 'recordedAt must be an ISO-8601 instant, e.g. "2026-12-01T09:30:00.000Z"');
    return ms;
  };
  const string = (key: string, max: number): string => {
    const given = fields[key];
    if (typeof given !== 'string' || given.length === 0 || given.length > max) throw new BadLineError(lineNumber, `${key} must be a string of 1-${max} characters`);
    return given;
  };
  const object = (key: string): Record<string, unknown> => {
    const given = fields[key];
    if (given === null || typeof given !== 'object' || Array.isArray(given)) throw new BadLineError(lineNumber, `${key} must be an object`);
    return given as Record<string, unknown>;
  };
  const hash = string('hash', 64);
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new BadLineError(lineNumber, 'hash must be 64 lowercase hex digits');
  return {
    position: position(),
    eventId: string('eventId', 36),
    streamId: string('streamId', 128),
    streamVersion: integer('streamVersion', 1),
    type: string('type', 64),
    schemaVersion: integer('schemaVersion', 1),
    data: object('data'),
    metadata: object('metadata') as unknown as EventMetadata,
    recordedAt: instant(),
    hash,
  };
}
