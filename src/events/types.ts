/**
 * Events as the log holds them, whatever their type: `StoredEvent` is one
 * in the log, `NewEvent` one on its way in. The event types themselves, and
 * the union of them, are the domain's: src/modules.
 */

export interface EventMetadata {
  /** The user whose request caused the event; null for system events. */
  readonly actorId: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
}

/** An event on its way into the log. */
export interface NewEvent {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly schemaVersion?: number;
  /** Supply to make the append idempotent on the event id; generated otherwise. */
  readonly eventId?: string;
  /**
   * Fields of `data` that can be erased later (a message's text): they are
   * stored apart from the hashed data, which commits to a salted digest of
   * them instead, so erasing them leaves the hash chain whole. `key` names
   * what they belong to (`message:<id>`); an event whose data holds
   * `erases: <key>` erases every earlier content under that key, in its own
   * transaction. README, "Deletion that erases".
   */
  readonly erasable?: ErasableSpec;
}

export interface ErasableSpec {
  readonly key: string;
  readonly fields: readonly string[];
}

/** An event as the log holds it, in its stored shape. */
export interface StoredEvent<E extends { type: string; data: unknown } = { type: string; data: Readonly<Record<string, unknown>> }> {
  readonly position: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: E['type'];
  readonly schemaVersion: number;
  readonly data: E['data'];
  readonly metadata: EventMetadata;
  /** Milliseconds since the epoch, as the writer's clock read it. */
  readonly recordedAt: number;
  readonly hash: string;
  /**
   * Stored form only (`readAll({ stored: true })`, export): the erasable
   * content kept apart from `data` (whose `erasable` entry holds its digest),
   * or null once it was erased. Absent on events without erasable content.
   */
  readonly content?: ErasableContent | null;
  /** Today's shape only: this event's erasable fields were erased, and read as ''. */
  readonly erased?: true;
  /** Today's shape only: the key and fields of its erasable content (what an `erases` of that key blanks). */
  readonly erasure?: ErasableSpec;
}

/** Erasable fields as stored, with the random salt their digest was taken with (erased together). */
export interface ErasableContent {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly salt: string;
}

export const streamOf = {
  thread: (threadId: string) => `thread-${threadId}`,
  user: (userId: string) => `user-${userId}`,
};
