/** The events table's row shape and its mapping to StoredEvent. */
import { canonicalJson } from './canonicalJson.ts';
import type { EventMetadata, StoredEvent } from './types.ts';

export const EVENT_COLUMNS =
  'position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, hash';

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
}

/** What a row records besides its JSON columns and its hash, typed as the event has it. */
export function fieldsFromRow(row: EventRow): Omit<StoredEvent, 'data' | 'metadata' | 'hash'> {
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

export function eventFromRow(row: EventRow): StoredEvent {
  return {
    ...fieldsFromRow(row),
    data: parseJson(row.data) as Record<string, unknown>,
    metadata: parseJson(row.metadata) as EventMetadata,
    hash: row.hash,
  };
}

/**
 * The row an event is stored as. `data` and `metadata` are canonical JSON
 * text, the very bytes the chain hash covers, so verify can hash a row
 * without parsing it; pass them when they are already at hand.
 */
export function rowFromEvent(event: StoredEvent, dataJson = canonicalJson(event.data), metadataJson = canonicalJson(event.metadata)): EventRow {
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
  };
}

/** A row's values in EVENT_COLUMNS order, for an INSERT. */
export function rowParams(row: EventRow): unknown[] {
  return [row.position, row.event_id, row.stream_id, row.stream_version, row.type, row.schema_version, row.data, row.metadata, row.recorded_at, row.hash];
}

export function rowValues(event: StoredEvent): unknown[] {
  return rowParams(rowFromEvent(event));
}

function parseJson(value: string | object): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
