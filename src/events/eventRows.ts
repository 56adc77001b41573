/** The events table's row shape and its mapping to StoredEvent. */
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

export function eventFromRow(row: EventRow): StoredEvent {
  return {
    position: Number(row.position),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: parseJson(row.data) as Record<string, unknown>,
    metadata: parseJson(row.metadata) as EventMetadata,
    recordedAt: Number(row.recorded_at),
    hash: row.hash,
  };
}

export function rowValues(event: StoredEvent): unknown[] {
  return [
    event.position,
    event.eventId,
    event.streamId,
    event.streamVersion,
    event.type,
    event.schemaVersion,
    JSON.stringify(event.data),
    JSON.stringify(event.metadata),
    event.recordedAt,
    event.hash,
  ];
}

function parseJson(value: string | object): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
