/** ReactionRemoved as GraphQL: the event type (its mutation and fields are added here). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import type { Recorded } from './eventModule.ts';
import { reactionRemoved, type ReactionRemovedData } from './reactionRemoved.ts';

type ReactionRemovedEvent = Recorded<'ReactionRemoved', ReactionRemovedData>;

export const ReactionRemoved = builder.objectRef<ReactionRemovedEvent>(reactionRemoved.type).implement({
  description: 'A user took back a reaction.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as ReactionRemovedEvent).type === reactionRemoved.type,
  fields: () => ({}),
});
