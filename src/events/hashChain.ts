/**
 * The tamper-evident chain: each event's hash is SHA-256 over the previous
 * event's hash and the canonical form of everything the event records.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson.ts';
import type { StoredEvent } from './types.ts';

export const GENESIS_HASH = '0'.repeat(64);

export type HashableEvent = Omit<StoredEvent, 'hash'>;

export function canonicalEvent(event: HashableEvent): string {
  return canonicalJson({
    position: event.position,
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    recordedAt: new Date(event.recordedAt).toISOString(),
  });
}

export function chainHash(previousHash: string, event: HashableEvent): string {
  return createHash('sha256').update(previousHash).update('\n').update(canonicalEvent(event)).digest('hex');
}
