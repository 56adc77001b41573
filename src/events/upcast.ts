/**
 * Upcasters turn an event stored in an older schema version into the shape
 * the code reads today. The log keeps the stored form; projections, the API
 * and subscriptions read through `upcast`.
 */
import type { StoredEvent } from './types.ts';

type Upcaster = (event: StoredEvent) => StoredEvent;

/** Keyed by `${type}@${fromVersion}`; each step moves one version up. */
const upcasters: ReadonlyMap<string, Upcaster> = new Map<string, Upcaster>([
  // MessagePosted v2 added `format`; every v1 message was plain text.
  ['MessagePosted@1', (event) => ({ ...event, schemaVersion: 2, data: { format: 'plain', ...event.data } })],
]);

export function upcast(event: StoredEvent): StoredEvent {
  let current = event;
  for (let step = upcasters.get(`${current.type}@${current.schemaVersion}`); step; step = upcasters.get(`${current.type}@${current.schemaVersion}`)) {
    current = step(current);
  }
  return current;
}
