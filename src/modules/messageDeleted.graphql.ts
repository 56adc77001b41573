/** MessageDeleted as GraphQL: the event type (its mutation and fields are added here). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import type { Recorded } from './eventModule.ts';
import { messageDeleted, type MessageDeletedData } from './messageDeleted.ts';

type MessageDeletedEvent = Recorded<'MessageDeleted', MessageDeletedData>;

export const MessageDeleted = builder.objectRef<MessageDeletedEvent>(messageDeleted.type).implement({
  description: 'A message was deleted, and its text erased from the log.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as MessageDeletedEvent).type === messageDeleted.type,
  fields: () => ({}),
});
