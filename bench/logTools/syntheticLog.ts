/**
 * A valid chained log made up on the spot, for benches and tests that need
 * many events fast: users, threads, then messages round-robin over the
 * threads, hashed with chainHash. Messages are stored as the store writes
 * them today (MessagePosted v4: the body and attachments as erasable
 * content, the data holding their salted digest), but every tenth as an
 * old v1 message with its body in the data. With `deletions`, one message
 * in a hundred is deleted 48 positions later (MessageDeleted erasing it):
 * its content is NULL, as the store leaves an erased event.
 */
import { splitErasable } from '../../src/events/erasableContent.ts';
import { chainHash, GENESIS_HASH } from '../../src/events/hashChain.ts';
import type { StoredEvent } from '../../src/events/types.ts';
import { messageContentKey } from '../../src/modules/eventModule.ts';

export interface SyntheticShape {
  readonly users: number;
  readonly threads: number;
  /** One message in a hundred deleted later on (erased content, an `erases` event). */
  readonly deletions?: boolean;
}

/** The ids the log gives its users (kind 1), events (2), threads (3), messages (4) and correlations (9). */
export const uuid = (kind: number, n: number): string => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A deleted message is 48 events before its deletion: both fall on today's shape (n % 10 !== 0). */
const DELETED_AFTER = 48;
const deletedMessage = (n: number): boolean => n % 100 === 51;
const deletion = (n: number): boolean => n % 100 === 99;

export function* syntheticEvents(count: number, shape: SyntheticShape = { users: 100, threads: 1000, deletions: true }, startAt = 1_750_000_000_000): Generator<StoredEvent> {
  let previous = GENESIS_HASH;
  const threadVersions = new Array<number>(shape.threads).fill(1);
  const firstMessage = shape.users + shape.threads;
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
    } else if (n < firstMessage) {
      const t = n - shape.users;
      event = {
        position, eventId: uuid(2, n), streamId: `thread-${uuid(3, t)}`, streamVersion: 1, type: 'ThreadCreated', schemaVersion: 1,
        data: { threadId: uuid(3, t), title: `Thread ${t}` }, metadata, recordedAt,
      };
    } else if (shape.deletions && deletion(n) && n - DELETED_AFTER >= firstMessage) {
      const m = n - DELETED_AFTER;
      const t = m % shape.threads;
      threadVersions[t] = threadVersions[t]! + 1;
      event = {
        position, eventId: uuid(2, n), streamId: `thread-${uuid(3, t)}`, streamVersion: threadVersions[t]!, type: 'MessageDeleted', schemaVersion: 1,
        data: { messageId: uuid(4, m), threadId: uuid(3, t), reason: null, erases: messageContentKey(uuid(4, m)) }, metadata, recordedAt,
      };
    } else {
      const t = n % shape.threads;
      threadVersions[t] = threadVersions[t]! + 1;
      const base = { messageId: uuid(4, n), threadId: uuid(3, t), body: `Message ${n}: the quick brown fox jumps over the lazy dog ✓`, replyToId: null };
      const head = { position, eventId: uuid(2, n), streamId: `thread-${uuid(3, t)}`, streamVersion: threadVersions[t]!, type: 'MessagePosted', metadata, recordedAt };
      if (n % 10 === 0) {
        event = { ...head, schemaVersion: 1, data: base };
      } else {
        const split = splitErasable({ ...base, format: 'plain', attachments: [] }, { key: messageContentKey(base.messageId), fields: ['body', 'attachments'] }, n.toString(16).padStart(32, '0'));
        // Erased only where its deletion is in the log too: else verify rightly finds an unauthorised erasure.
        const erased = shape.deletions === true && deletedMessage(n) && n + DELETED_AFTER < count;
        event = { ...head, schemaVersion: 4, data: split.data, content: erased ? null : split.content };
      }
    }
    previous = chainHash(previous, event);
    yield { ...event, hash: previous };
  }
}
