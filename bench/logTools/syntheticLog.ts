/**
 * A valid chained log made up on the spot, for benches and tests that need
 * many events fast: users, threads, then messages round-robin over the
 * threads (every tenth stored as MessagePosted v1), hashed with chainHash.
 */
import { chainHash, GENESIS_HASH } from '../../src/events/hashChain.ts';
import type { StoredEvent } from '../../src/events/types.ts';

export interface SyntheticShape {
  readonly users: number;
  readonly threads: number;
}

const uuid = (kind: number, n: number): string => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export function* syntheticEvents(count: number, shape: SyntheticShape = { users: 100, threads: 1000 }, startAt = 1_750_000_000_000): Generator<StoredEvent> {
  let previous = GENESIS_HASH;
  const threadVersions = new Array<number>(shape.threads).fill(1);
  for (let position = 1; position <= count; position += 1) {
    const n = position - 1;
    const recordedAt = startAt + position;
    const metadata = { actorId: uuid(1, n % shape.users), correlationId: uuid(9, n), causationId: null };
    let event: Omit<StoredEvent, 'hash'>;
    if (n < shape.users) {
      event = {
        position, eventId: uuid(2, n), streamId: `user-${uuid(1, n)}`, streamVersion: 1, type: 'UserRegistered', schemaVersion: 1,
        data: { userId: uuid(1, n), username: `user${n}`, displayName: `User ${n}` }, metadata: { ...metadata, actorId: null }, recordedAt,
      };
    } else if (n < shape.users + shape.threads) {
      const t = n - shape.users;
      event = {
        position, eventId: uuid(2, n), streamId: `thread-${uuid(3, t)}`, streamVersion: 1, type: 'ThreadCreated', schemaVersion: 1,
        data: { threadId: uuid(3, t), title: `Thread ${t}` }, metadata, recordedAt,
      };
    } else {
      const t = n % shape.threads;
      threadVersions[t] = threadVersions[t]! + 1;
      const v1 = n % 10 === 0;
      const base = { messageId: uuid(4, n), threadId: uuid(3, t), body: `Message ${n}: the quick brown fox jumps over the lazy dog ✓`, replyToId: null };
      event = {
        position, eventId: uuid(2, n), streamId: `thread-${uuid(3, t)}`, streamVersion: threadVersions[t]!, type: 'MessagePosted',
        schemaVersion: v1 ? 1 : 2, data: v1 ? base : { ...base, format: 'plain' }, metadata, recordedAt,
      };
    }
    previous = chainHash(previous, event);
    yield { ...event, hash: previous };
  }
}
