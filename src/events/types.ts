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
}

export const streamOf = {
  thread: (threadId: string) => `thread-${threadId}`,
  user: (userId: string) => `user-${userId}`,
};
