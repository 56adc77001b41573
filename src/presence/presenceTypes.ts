/**
 * Presence and typing as the rest of the server sees them: ephemeral state,
 * never in the log. Who is online is counted from live connections (a
 * WebSocket, or an SSE stream), per instance and, with Redis, across
 * instances; who is typing from `setTyping` notices that expire by
 * themselves.
 */

/** Who is online, in all or in one thread, at one moment. */
export interface PresenceSnapshot {
  /** Distinct signed-in users with at least one live connection. */
  readonly people: number;
  /** Live connections, signed in or anonymous. */
  readonly connections: number;
  /** The people's user ids, in a stable order (most connections first, then id). */
  readonly userIds: readonly string[];
}

/** One live connection's part in presence: held from its start to its close. */
export interface PresenceConnection {
  /** The connection has `threadId` open (a live `threadEvents` subscription) until the returned function is called (idempotent). */
  open(threadId: string): () => void;
  /** The connection ended: it and every thread it had open leave (idempotent). */
  close(): void;
}

export interface PresenceService {
  /** A connection starts: signed in as `userId`, or anonymous (`null`: a connection, not a person). */
  connect(userId: string | null): PresenceConnection;
  /** The current value for the whole server (no `threadId`) or one thread. */
  snapshot(threadId?: string): PresenceSnapshot;
  /**
   * The value now, then each new value as it changes, coalesced (at most a
   * few a second). Every watcher of one scope is handed the same snapshot
   * object for the same change, so a subscription group can execute it once
   * (realtime/ephemeralSubscription.ts). `return()` ends the watch.
   */
  watch(threadId?: string): AsyncIterableIterator<PresenceSnapshot>;
  /** What the metrics read (presenceMetrics.ts). */
  readonly stats: PresenceStats;
  close(): Promise<void>;
}

export interface PresenceStats {
  /** This instance's own connections. */
  readonly here: PresenceSnapshot;
  /** Every instance's (this one's only without Redis, or while Redis is down). */
  readonly all: PresenceSnapshot;
  /** Values handed to watchers since start (one per watcher per update). */
  readonly updatesSent: number;
  /** Whether presence reaches Redis now; undefined without Redis. */
  readonly redisConnected: boolean | undefined;
}

/** Who is typing in one thread. */
export interface TypingSnapshot {
  readonly threadId: string;
  /** User ids typing now, in the order they started. */
  readonly userIds: readonly string[];
}

export interface TypingService {
  /** `userId` started (or renewed) or stopped typing in `threadId`; a state expires by itself about 6 s after its last renewal. */
  set(threadId: string, userId: string, typing: boolean): void;
  snapshot(threadId: string): TypingSnapshot;
  /** The value now, then each change; the same object for every watcher of a thread and change. */
  watch(threadId: string): AsyncIterableIterator<TypingSnapshot>;
  close(): Promise<void>;
}
