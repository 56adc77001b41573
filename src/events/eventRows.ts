/** The events table's row shape and its mapping to StoredEvent. */
import { canonicalJson } from './canonicalJson.ts';
import { erasableOf, parseContent, withContentInPlace } from './erasableContent.ts';
import type { EventMetadata, StoredEvent } from './types.ts';

export const EVENT_COLUMNS =
  'position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, hash, content, erasure_key';

/** How many columns EVENT_COLUMNS names (an INSERT's placeholders per row). */
export const EVENT_COLUMN_COUNT = 12;

export interface EventRow {
  position: number | string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  /** Text, or already parsed where the driver sees a JSON column. */
  data: string | object;
  metadata: string | object;
  recorded_at: number | string;
  hash: string;
  /** The erasable content as canonical JSON text ({ fields, salt }); null when erased or when there is none. */
  content: string | null;
  /** What the content belongs to (`message:<id>`); not hashed (the data's `erasable.key` is). */
  erasure_key: string | null;
}

/** What a row records besides its JSON columns and its hash, typed as the event has it. */
export function fieldsFromRow(row: EventRow): Omit<StoredEvent, 'data' | 'metadata' | 'hash' | 'content' | 'erased'> {
  return {
    position: Number(row.position),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    type: row.type,
    schemaVersion: Number(row.schema_version),
    recordedAt: Number(row.recorded_at),
  };
}

/** The event in its stored form: `data` as hashed, `content` beside it (null once erased) when it has erasable content. */
export function eventFromRow(row: EventRow): StoredEvent {
  const data = parseJson(row.data) as Record<string, unknown>;
  const event = {
    ...fieldsFromRow(row),
    data,
    metadata: parseJson(row.metadata) as EventMetadata,
    hash: row.hash,
  };
  if (row.content !== null && row.content !== undefined) return { ...event, content: parseContent(row.content) };
  return erasableOf(data) ? { ...event, content: null } : event;
}

/** The event in the shape the rest of Thrds reads (content in place, or '' once erased), before upcasting. */
export function readableEventFromRow(row: EventRow): StoredEvent {
  return withContentInPlace(eventFromRow(row));
}

/**
 * The row an event (in its stored form) is stored as. `data` and `metadata`
 * are canonical JSON text, the very bytes the chain hash covers, so verify
 * can hash a row without parsing it; pass them (and the content's text) when
 * they are already at hand.
 */
export function rowFromEvent(
  event: StoredEvent,
  dataJson = canonicalJson(event.data),
  metadataJson = canonicalJson(event.metadata),
  contentJson = event.content ? canonicalJson(event.content) : null,
  erasureKey = erasableOf(event.data)?.key ?? null,
): EventRow {
  return {
    position: event.position,
    event_id: event.eventId,
    stream_id: event.streamId,
    stream_version: event.streamVersion,
    type: event.type,
    schema_version: event.schemaVersion,
    data: dataJson,
    metadata: metadataJson,
    recorded_at: event.recordedAt,
    hash: event.hash,
    content: contentJson,
    erasure_key: erasureKey,
  };
}

/** A row's values in EVENT_COLUMNS order, for an INSERT. */
export function rowParams(row: EventRow): unknown[] {
  return [
    row.position,
    row.event_id,
    row.stream_id,
    row.stream_version,
    row.type,
    row.schema_version,
    row.data,
    row.metadata,
    row.recorded_at,
    row.hash,
    row.content,
    row.erasure_key,
  ];
}

/** A stored event's values in EVENT_COLUMNS order, for an INSERT. */
export function rowValues(event: StoredEvent): unknown[] {
  return rowParams(rowFromEvent(event));
}

/** A JSON column as the driver gave it: text to parse, or already parsed (a MySQL JSON column). */
export function parseJson(value: string | object): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
