/**
 * Every event type Thrds knows, one module each. Adding a type is adding
 * its module here (and its GraphQL type in graphql.ts): the compiler then
 * points at every place that must handle it.
 */
import type { StoredEvent } from '../events/types.ts';
import type { EventModule, ReadModel, Recorded } from './eventModule.ts';
import { botAdded } from './botAdded.ts';
import { botCardChanged } from './botCardChanged.ts';
import { botInvited } from './botInvited.ts';
import { botRemoved } from './botRemoved.ts';
import { botUninvited } from './botUninvited.ts';
import { messageDeleted } from './messageDeleted.ts';
import { messageEdited } from './messageEdited.ts';
import { messagePosted } from './messagePosted.ts';
import { reactionAdded } from './reactionAdded.ts';
import { reactionRemoved } from './reactionRemoved.ts';
import { threadCreated } from './threadCreated.ts';
import { threadLockChanged } from './threadLockChanged.ts';
import { threadRenamed } from './threadRenamed.ts';
import { userAvatarChanged } from './userAvatarChanged.ts';
import { userRegistered } from './userRegistered.ts';
import { userRoleChanged } from './userRoleChanged.ts';
import { userSuspended } from './userSuspended.ts';

export const eventModules = [
  userRegistered,
  threadCreated,
  messagePosted,
  threadRenamed,
  reactionAdded,
  reactionRemoved,
  messageEdited,
  messageDeleted,
  userRoleChanged,
  userSuspended,
  threadLockChanged,
  botAdded,
  botCardChanged,
  botRemoved,
  botInvited,
  botUninvited,
  userAvatarChanged,
] as const;

type Module = (typeof eventModules)[number];
type DataOf<M> = M extends { readonly data?: infer D } ? D : never;

/** The name of every known event type. */
export type ChatEventType = Module['type'];
/** An event of a known type, as the log holds it in today's shape: narrow it on `type`. */
export type ChatEvent = { [M in Module as M['type']]: Recorded<M['type'], DataOf<M>> }[ChatEventType];
/** One known type's event. */
export type ChatEventOf<Type extends ChatEventType> = Extract<ChatEvent, { type: Type }>;

const byType: ReadonlyMap<string, EventModule> = new Map(eventModules.map((module) => [module.type, module as EventModule]));

export const knownEventTypes: readonly ChatEventType[] = eventModules.map((module) => module.type);

/** The version each known type is written with today. */
export const currentSchemaVersion = Object.fromEntries(eventModules.map((module) => [module.type, module.schemaVersion])) as Readonly<Record<ChatEventType, number>>;

export function isKnown(event: StoredEvent): event is ChatEvent {
  return byType.has(event.type);
}

export function moduleOf(type: string): EventModule | undefined {
  return byType.get(type);
}

/**
 * An event stored at an older schema version, read as today's shape (the
 * log keeps what was written). The event store applies it to every event it
 * hands out: nothing else needs to.
 */
export function upcast(event: StoredEvent): StoredEvent {
  const module = byType.get(event.type);
  if (!module || event.schemaVersion >= module.schemaVersion) return event;
  let { data, schemaVersion } = event;
  for (let step = module.upcasters[schemaVersion]; step; step = module.upcasters[schemaVersion]) {
    data = step(data);
    schemaVersion += 1;
  }
  return { ...event, schemaVersion, data };
}

/** Folds events into a read model's changes through each module's step for it; types without one leave it alone. */
export function evolveReadModel<Changes>(readModel: ReadModel, changes: Changes, events: readonly StoredEvent[]): Changes {
  for (const event of events) {
    const step = byType.get(event.type)?.evolve[readModel] as ((changes: Changes, event: StoredEvent) => void) | undefined;
    step?.(changes, event);
  }
  return changes;
}

export type { Recorded };
