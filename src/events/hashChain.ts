/**
 * The tamper-evident chain: each event's hash is SHA-256 over the previous
 * event's hash, a newline, and the canonical JSON (canonicalJson.ts) of
 * everything the event records: position, eventId, streamId, streamVersion,
 * type, schemaVersion, data, metadata and recordedAt (ISO 8601).
 */
import { hash } from 'node:crypto';
import { canonicalJson } from './canonicalJson.ts';
import { isoInstant } from './isoInstant.ts';
import type { StoredEvent } from './types.ts';

export const GENESIS_HASH = '0'.repeat(64);

export type HashableEvent = Omit<StoredEvent, 'hash'>;

export function chainHash(previousHash: string, event: HashableEvent): string {
  return chainHashOfCanonicalText(previousHash, event, canonicalJson(event.data), canonicalJson(event.metadata));
}

/**
 * The same hash, given `data` and `metadata` already as canonical JSON text
 * (how they are stored), so a bulk check can hash stored rows unparsed. The
 * canonical object is written straight out, its nine keys in sorted order.
 */
export function chainHashOfCanonicalText(previousHash: string, e: Omit<HashableEvent, 'data' | 'metadata'>, dataJson: string, metadataJson: string): string {
  return hash(
    'sha256',
    `${previousHash}\n{"data":${dataJson},"eventId":${JSON.stringify(e.eventId)},"metadata":${metadataJson}` +
      `,"position":${canonicalJson(e.position)},"recordedAt":"${isoInstant(e.recordedAt)}","schemaVersion":${canonicalJson(e.schemaVersion)}` +
      `,"streamId":${JSON.stringify(e.streamId)},"streamVersion":${canonicalJson(e.streamVersion)},"type":${JSON.stringify(e.type)}}`,
  );
}
