/** ReactionAdded as GraphQL: the event type (its mutation and fields are added here). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import type { Recorded } from './eventModule.ts';
import { reactionAdded, type ReactionAddedData } from './reactionAdded.ts';

type ReactionAddedEvent = Recorded<'ReactionAdded', ReactionAddedData>;

export const ReactionAdded = builder.objectRef<ReactionAddedEvent>(reactionAdded.type).implement({
  description: 'A user reacted to a message.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as ReactionAddedEvent).type === reactionAdded.type,
  fields: () => ({}),
});
