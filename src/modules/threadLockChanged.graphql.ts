/** ThreadLockChanged as GraphQL: the event type (its mutation and fields are added here). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import type { Recorded } from './eventModule.ts';
import { threadLockChanged, type ThreadLockChangedData } from './threadLockChanged.ts';

type ThreadLockChangedEvent = Recorded<'ThreadLockChanged', ThreadLockChangedData>;

export const ThreadLockChanged = builder.objectRef<ThreadLockChangedEvent>(threadLockChanged.type).implement({
  description: 'A thread was locked or unlocked.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as ThreadLockChangedEvent).type === threadLockChanged.type,
  fields: () => ({}),
});
