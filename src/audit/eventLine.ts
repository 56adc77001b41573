/**
 * One event as one JSON line, in its stored form (never upcast): the format
 * of `thrds export`, `thrds import` and `thrds events`. Values have the
 * API's types: `position` a decimal string (the Position scalar),
 * `recordedAt` ISO-8601 in UTC with milliseconds (the DateTime scalar).
 * Keys keep the order of StoredEvent so a line reads the same way every time.
 *
 * An event with erasable content carries `"content"` right after `data`:
 * `{"fields":{…},"salt":"…"}` as stored, or null once erased (README,
 * "Deletion that erases"); other events have no `content` key.
 *
 * Import also reads the first format (thrds 0.1.0): `position` a JSON
 * number, `recordedAt` milliseconds since the epoch. Both carry the same
 * instant to the millisecond, so the hash chain checks out either way.
 */
import { erasableOf, parseContent } from '../events/erasableContent.ts';
import { type EventRow, rowFromEvent } from '../events/eventRows.ts';
import { isoInstant } from '../events/isoInstant.ts';
import type { ErasableContent, EventMetadata, StoredEvent } from '../events/types.ts';

/**
 * Builds the line straight from a row: the stored JSON text of `data` and
 * `metadata` goes out as it is (the columns only hold valid JSON), so export
 * never parses and re-serializes the bodies.
 */
export function lineFromRow(row: EventRow): string {
  return (
    `{"position":"${Number(row.position)}","eventId":${JSON.stringify(row.event_id)},"streamId":${JSON.stringify(row.stream_id)}` +
    `,"streamVersion":${Number(row.stream_version)},"type":${JSON.stringify(row.type)},"schemaVersion":${Number(row.schema_version)}` +
    `,"data":${jsonText(row.data)}${contentEntry(row)},"metadata":${jsonText(row.metadata)},"recordedAt":"${isoInstant(Number(row.recorded_at))}","hash":${JSON.stringify(row.hash)}}`
  );
}

/** The same line from an event: `data` and `metadata` in canonical JSON, as the store keeps them. */
export function lineFromEvent(event: StoredEvent): string {
  return lineFromRow(rowFromEvent(event));
}

/** `,"content":…` for an event with erasable content (its stored text, or null once erased); '' for any other. */
function contentEntry(row: EventRow): string {
  if (row.content !== null) return `,"content":${jsonText(row.content)}`;
  // Only a key can hold `"erasable":` unescaped: the cheap test spares parsing every other row.
  const data = typeof row.data === 'string' ? (row.data.includes('"erasable":') ? (JSON.parse(row.data) as Record<string, unknown>) : undefined) : (row.data as Record<string, unknown>);
  return data && erasableOf(data) ? ',"content":null' : '';
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
  const content = (data: Record<string, unknown>): { content?: ErasableContent | null } => {
    const erasable = 'erasable' in data;
    if (!('content' in fields)) {
      if (erasable) throw new BadLineError(lineNumber, 'an event with erasable data needs "content": {"fields", "salt"} or null');
      return {};
    }
    if (!erasable || !erasableOf(data)) throw new BadLineError(lineNumber, '"content" is only for an event whose data.erasable has key, fields and digest');
    if (fields.content === null) return { content: null };
    try {
      return { content: parseContent(JSON.stringify(fields.content)) };
    } catch (error) {
      throw new BadLineError(lineNumber, `content: ${(error as Error).message}`);
    }
  };
  const hash = string('hash', 64);
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new BadLineError(lineNumber, 'hash must be 64 lowercase hex digits');
  const data = object('data');
  return {
    position: position(),
    eventId: string('eventId', 36),
    streamId: string('streamId', 128),
    streamVersion: integer('streamVersion', 1),
    type: string('type', 64),
    schemaVersion: integer('schemaVersion', 1),
    data,
    metadata: object('metadata') as unknown as EventMetadata,
    recordedAt: instant(),
    hash,
    ...content(data),
  };
}
