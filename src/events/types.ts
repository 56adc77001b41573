/**
 * Events are facts in the past tense. `ChatEvent` is the readonly union of
 * every event the domain records; `StoredEvent` is one as the log holds it.
 */

export interface EventMetadata {
  /** The user whose request caused the event; null for system events. */
  readonly actorId: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
}

export interface UserRegistered {
  readonly type: 'UserRegistered';
  readonly data: { readonly userId: string; readonly username: string; readonly displayName: string };
}

export interface ThreadCreated {
  readonly type: 'ThreadCreated';
  readonly data: { readonly threadId: string; readonly title: string };
}

export type MessageFormat = 'plain' | 'markdown';

/** v1 had no `format`; v2 added it (v1 events read as `plain`). */
export interface MessagePosted {
  readonly type: 'MessagePosted';
  readonly data: {
    readonly messageId: string;
    readonly threadId: string;
    readonly body: string;
    readonly replyToId: string | null;
    readonly format: MessageFormat;
  };
}

export type ChatEvent = UserRegistered | ThreadCreated | MessagePosted;
export type ChatEventType = ChatEvent['type'];

/** The schema version each event type is written with today. */
export const currentSchemaVersion: Readonly<Record<ChatEventType, number>> = {
  UserRegistered: 1,
  ThreadCreated: 1,
  MessagePosted: 2,
};

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
