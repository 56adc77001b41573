/** MessageEdited as GraphQL: the event type, and `editMessage`. */
import { LIMITS, range } from '../input/limitValues.ts';
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { Message, orNotFound } from '../schema/refs.ts';
import { requireActor } from '../schema/viewer.ts';
import type { Recorded } from './eventModule.ts';
import { editedMessage, editMessage, type EditMessageResult, messageEdited, type MessageEditedData } from './messageEdited.ts';

type MessageEditedEvent = Recorded<'MessageEdited', MessageEditedData>;

export const MessageEdited = builder.objectRef<MessageEditedEvent>(messageEdited.type).implement({
  description: "A message's text was replaced by its author.",
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as MessageEditedEvent).type === messageEdited.type,
  fields: (t) => ({
    message: t.field({
      type: Message,
      description: 'The message as this edit left it (the tombstone if it has been deleted since: its text is erased).',
      // The held row (fan-out reads nothing for a message it holds) with this edit's text.
      resolve: async (event, _args, ctx) =>
        editedMessage(orNotFound(await ctx.loaders.messages(event.data.messageId), 'message', event.data.messageId), {
          body: event.data.body,
          recordedAt: event.recordedAt,
          ...(event.erased ? { erased: true as const } : {}),
        }),
    }),
  }),
});

const EditMessageInput = builder.inputType('EditMessageInput', {
  description: 'A new text for a message.',
  fields: (t) => ({
    messageId: t.id({ required: true, description: 'The message to edit (one you posted).' }),
    body: t.string({ required: true, description: `The new text: ${range(LIMITS.body)} characters after trimming, as when posting.` }),
    idempotencyKey: t.string({ description: 'Retry with the same key and the message is edited once.' }),
  }),
});

const EditMessagePayload = builder.objectRef<EditMessageResult>('EditMessagePayload').implement({
  description: 'The edited message.',
  fields: (t) => ({
    message: t.field({ type: Message, description: 'The message with its new text.', resolve: (p) => p.message }),
    position: t.field({
      type: 'Position',
      description: 'Log position of the MessageEdited event; when the text was already this (nothing appended), the position of the event that wrote it.',
      resolve: (p) => p.position,
    }),
  }),
});

builder.mutationField('editMessage', (t) =>
  t.field({
    type: EditMessagePayload,
    description:
      "Replaces a message's text; its earlier texts stay in `revisions` until it is deleted. Needs a token; only its author may (FORBIDDEN otherwise, and in a locked thread or while suspended); NOT_FOUND for an unknown or deleted message. The same text again appends nothing. Counts toward the posting rate limit.",
    args: { input: t.arg({ type: EditMessageInput, required: true, description: 'The message and its new text.' }) },
    resolve: async (_root, { input }, ctx) =>
      editMessage(ctx.services, await requireActor(ctx), { messageId: String(input.messageId), body: input.body, idempotencyKey: input.idempotencyKey }),
  }),
);
