/** MessageEdited as GraphQL: the event type (its mutation and fields are added here). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import type { Recorded } from './eventModule.ts';
import { messageEdited, type MessageEditedData } from './messageEdited.ts';

type MessageEditedEvent = Recorded<'MessageEdited', MessageEditedData>;

export const MessageEdited = builder.objectRef<MessageEditedEvent>(messageEdited.type).implement({
  description: "A message's text was replaced by its author.",
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as MessageEditedEvent).type === messageEdited.type,
  fields: () => ({}),
});
