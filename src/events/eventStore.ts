/**
 * The event store contract. One implementation (`SqlEventStore`) runs on
 * both database adapters; the conformance suite in test/ holds them to it.
 */
import type { Row, Sql, Statement } from '../db/database.ts';
import type { EventMetadata, NewEvent, StoredEvent } from './types.ts';

/** The longest idempotency key the store keeps (its column); the public API's limit is derived from it. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** `number`: the stream must be at exactly this version (0: must not exist). */
export type ExpectedVersion = number | 'any' | 'no_stream' | 'stream_exists';

export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly metadata: EventMetadata;
  readonly expectedVersion?: ExpectedVersion;
  /** A retry with the same key returns the original events and writes nothing. */
  /** At most MAX_IDEMPOTENCY_KEY_LENGTH characters (the key column). */
  readonly idempotencyKey?: string;
  /** Fingerprint of the request behind the key: a different request under a used key is a conflict. */
  readonly requestHash?: string;
  /** Extra writes that must commit or fail with these events (e.g. credentials). */
  readonly withinTransaction?: (tx: Sql, events: readonly StoredEvent[]) => Promise<void>;
  /** A check that must hold when these events are written (the writer's standing): read and decided under the log's lock. */
  readonly precondition?: AppendPrecondition;
}

/**
 * A read sent with the group's first round trip, after the log's lock is
 * taken, and the verdict on its rows: an Error refuses the request (nothing
 * of it is written; the rest of the group goes on). A command's check costs
 * no round trip of its own this way, and nothing can change what it read
 * before the request commits (every write to the read model holds that lock).
 */
export interface AppendPrecondition {
  readonly read: Statement;
  readonly refuse: (rows: readonly Row[]) => Error | undefined;
}

export interface AppendResult {
  readonly events: readonly StoredEvent[];
  readonly firstPosition: number;
  readonly lastPosition: number;
  /** The stream's version after the append. */
  readonly streamVersion: number;
  /** True when the idempotency key or event ids were already stored: nothing new was written. */
  readonly duplicate: boolean;
}

export interface ReadAllOptions {
  readonly after?: number;
  /** Inclusive upper bound. */
  readonly until?: number;
  readonly limit?: number;
  readonly streamId?: string;
  readonly types?: readonly string[];
  /**
   * The events as stored (audit, export, hashing): not upcast, `data` as
   * hashed (erasable fields replaced by `data.erasable`), with `content` beside
   * it. Otherwise today's shape: content fields in place ('' once erased, with
   * `erased: true`), upcast.
   */
  readonly stored?: boolean;
}

/**
 * The events of an unfiltered read after `after` up to the first missing
 * position. Positions have no holes (one counter, taken under a lock held to
 * commit), so a missing one has committed but is not yet visible to this
 * read: InnoDB builds a statement's read view without stopping commits, and
 * was seen (once, in CI, 20 writers and 3 tailing readers) to show a commit
 * before the one just below it. A tailing reader that keeps only this prefix
 * and reads again never skips an event.
 */
export function consecutiveAfter<E extends { readonly position: number }>(after: number, events: readonly E[]): E[] {
  let end = 0;
  while (end < events.length && events[end]!.position === after + end + 1) end += 1;
  return events.slice(0, end);
}

export interface LogHead {
  readonly position: number;
  readonly hash: string;
}

/**
 * Runs inside every append transaction (inline projections). Its `read` goes
 * to the database with the log_head lock, in the same round trip; its
 * statements go with the group's events and the commit, in the next one.
 */
export interface TransactionHook {
  /** A read sent under the lock; its rows come back to `statements`. */
  readonly read?: Statement;
  /** The writes to add for these events (the group's, in position order). */
  statements(events: readonly StoredEvent[], headBefore: LogHead, rows: readonly Row[]): readonly Statement[];
}

/** Content erased by an event: every content under `key` stored before `position`, the erasing event's. */
export interface Erasure {
  readonly key: string;
  readonly position: number;
}

/**
 * What else must be erased with a key (attachments, a later issue): its
 * statements run in the erasing transaction, after the events' content is
 * erased; `afterCommit` once it has committed.
 */
export interface ErasureHook {
  statements?(erasures: readonly Erasure[]): readonly Statement[];
  afterCommit?(erasures: readonly Erasure[]): void;
}

export interface EventStore {
  append(request: AppendRequest): Promise<AppendResult>;
  /** Events in position order. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** Streams the log in position order without holding it in memory. */
  streamAll(options?: Omit<ReadAllOptions, 'limit'>): AsyncIterable<StoredEvent>;
  readStream(streamId: string, options?: { after?: number; limit?: number }): Promise<StoredEvent[]>;
  head(): Promise<LogHead>;
  /** Called after each commit, in commit order, with the committed events. */
  onCommitted(listener: (events: readonly StoredEvent[]) => void): () => void;
  /** Resolves when every append accepted so far has settled. */
  drain(): Promise<void>;
  readonly stats: { transactions: number; appends: number; events: number };
}
