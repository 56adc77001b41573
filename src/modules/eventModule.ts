/**
 * What one event type is, in one place: the data it holds, the schema
 * version it is written with, how data stored at older versions reads
 * today, and its step in each read model it changes. Its decision rules and
 * command handler sit beside it in the same file; its GraphQL type in
 * `<name>.graphql.ts`. `index.ts` lists the modules: the union of event
 * types is derived from that list, so a type that is not handled where it
 * must be (a read model step's data, a GraphQL type) is a compile error.
 */
import type { StoredEvent } from '../events/types.ts';
import type { AttachmentChanges } from '../projections/attachmentsProjection.ts';
import type { BotChanges } from '../projections/botsProjection.ts';
import type { MentionChanges } from '../projections/mentionsProjection.ts';
import type { MessageChanges } from '../projections/messagesProjection.ts';
import type { ReactionChanges } from '../projections/reactionsProjection.ts';
import type { ThreadBotChanges } from '../projections/threadBotsProjection.ts';
import type { ThreadChanges } from '../projections/threadsProjection.ts';
import type { UserChanges } from '../projections/usersProjection.ts';
import type { SearchChanges } from '../search/searchProjection.ts';

/** Reads data stored at one version as the next version's data. */
export type Upcaster = (data: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>;

/** An event of one type as the log holds it, in today's shape. */
export type Recorded<Type extends string, Data> = StoredEvent<{ type: Type; data: Data }>;

/** How the event changes each read model it touches (a read model it does not touch is left out). */
export interface ReadModelSteps<Event> {
  readonly users?: (changes: UserChanges, event: Event) => void;
  readonly threads?: (changes: ThreadChanges, event: Event) => void;
  readonly messages?: (changes: MessageChanges, event: Event) => void;
  readonly reactions?: (changes: ReactionChanges, event: Event) => void;
  readonly mentions?: (changes: MentionChanges, event: Event) => void;
  readonly search?: (changes: SearchChanges, event: Event) => void;
  readonly attachments?: (changes: AttachmentChanges, event: Event) => void;
  readonly bots?: (changes: BotChanges, event: Event) => void;
  readonly threadBots?: (changes: ThreadBotChanges, event: Event) => void;
}

export type ReadModel = keyof ReadModelSteps<unknown>;

export interface EventModule<Type extends string = string, Data = unknown> {
  readonly type: Type;
  /** The version new events are written with. */
  readonly schemaVersion: number;
  /** `upcasters[n]` reads data stored at version n as version n + 1. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
  /** Where events of this type are delivered: `thread` ones on `threadEvents` too. */
  readonly stream: 'thread' | 'user';
  readonly evolve: ReadModelSteps<Recorded<Type, Data>>;
  /**
   * Data fields that a later event may erase from the log (a message's
   * text), and the key they are erased under. Stored apart from the hashed
   * data (src/events: `NewEvent.erasable`); read back in place, or as '' once
   * erased.
   */
  readonly erasable?: {
    readonly fields: readonly (keyof Data & string)[];
    readonly key: (data: Data) => string;
  };
}

/**
 * Declares an event type. The data type is given explicitly, the rest is
 * inferred: `defineEvent<{ threadId: string }>()({ type: 'ThreadCreated', … })`.
 */
export function defineEvent<Data>() {
  return <const Type extends string>(module: EventModule<Type, Data>): EventModule<Type, Data> & { readonly data?: Data } => module;
}

/** The new event a decision appends, at its type's current version. */
export function newEvent<Type extends string, Data extends Readonly<Record<string, unknown>>>(module: EventModule<Type, Data>, data: Data) {
  const { erasable } = module;
  return {
    type: module.type,
    data,
    schemaVersion: module.schemaVersion,
    ...(erasable ? { erasable: { key: erasable.key(data), fields: erasable.fields } } : {}),
  };
}

/** The erasure key of a message's text: its MessagePosted and every MessageEdited. */
export const messageContentKey = (messageId: string): string => `message:${messageId}`;
