/** MessageDeleted as GraphQL: the event type, and `deleteMessage`. */
import { LIMITS } from '../input/limitValues.ts';
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { Message, orNotFound } from '../schema/refs.ts';
import { requireActor } from '../schema/viewer.ts';
import type { Recorded } from './eventModule.ts';
import { deleteMessage, messageDeleted, type MessageDeletedData, tombstoneOf } from './messageDeleted.ts';

type MessageDeletedEvent = Recorded<'MessageDeleted', MessageDeletedData>;

export const MessageDeleted = builder.objectRef<MessageDeletedEvent>(messageDeleted.type).implement({
  description: 'A message was deleted, and its text erased from the log.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as MessageDeletedEvent).type === messageDeleted.type,
  fields: (t) => ({
    messageId: t.id({ description: 'The deleted message.', resolve: (event) => event.data.messageId }),
    message: t.field({
      type: Message,
      description: 'The tombstone it left: `deletedAt` set, `body` empty, no revisions or reactions; replies still point at it.',
      resolve: async (event, _args, ctx) => tombstoneOf(orNotFound(await ctx.loaders.messages(event.data.messageId), 'message', event.data.messageId), event.recordedAt),
    }),
    reason: t.string({ nullable: true, description: 'Why, if the one who deleted it said.', resolve: (event) => event.data.reason }),
  }),
});

const DeleteMessageInput = builder.inputType('DeleteMessageInput', {
  description: 'A message to delete.',
  fields: (t) => ({
    messageId: t.id({ required: true, description: 'The message to delete (yours, or anyone\'s for a moderator or admin).' }),
    reason: t.string({ description: `Why, at most ${LIMITS.deleteReason.max} characters of one line after trimming; blank is none. Kept in the log (it is not erased).` }),
  }),
});

const DeleteMessagePayload = builder.objectRef<{ messageId: string; position: number }>('DeleteMessagePayload').implement({
  description: 'The deletion.',
  fields: (t) => ({
    messageId: t.id({ description: 'The deleted message (now a tombstone).', resolve: (p) => p.messageId }),
    position: t.field({ type: 'Position', description: 'Log position of the MessageDeleted event.', resolve: (p) => p.position }),
  }),
});

builder.mutationField('deleteMessage', (t) =>
  t.field({
    type: DeleteMessagePayload,
    description:
      'Deletes a message: it becomes a tombstone, and its text (every version) is erased from the log in the same transaction; `thrds verify` still proves the rest untouched. There is no undo. Needs a token; its author or a moderator or admin may (FORBIDDEN otherwise, and while suspended; a locked thread does not prevent it); NOT_FOUND for an unknown or already deleted message. Counts toward the posting rate limit.',
    args: { input: t.arg({ type: DeleteMessageInput, required: true, description: 'The message, and optionally why.' }) },
    resolve: async (_root, { input }, ctx) => deleteMessage(ctx.services, await requireActor(ctx), { messageId: String(input.messageId), reason: input.reason }),
  }),
);
