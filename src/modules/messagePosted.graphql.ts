/** MessagePosted as GraphQL: the event type, and `postMessage`. */
import { MAX_ATTACHMENTS } from '../attachments/claimUploads.ts';
import { LIMITS, range } from '../input/limitValues.ts';
import { MessageFormat } from '../schema/message.ts';
import type { MessageRow } from '../projections/messagesProjection.ts';
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { Message, orNotFound } from '../schema/refs.ts';
import { requireActor } from '../schema/viewer.ts';
import type { Recorded } from './eventModule.ts';
import { messageOf, messagePosted, type MessagePostedData, postMessage } from './messagePosted.ts';

type MessagePostedEvent = Recorded<'MessagePosted', MessagePostedData>;

export const MessagePosted = builder.objectRef<MessagePostedEvent>(messagePosted.type).implement({
  description: 'A message was posted.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as MessagePostedEvent).type === messagePosted.type,
  fields: (t) => ({
    message: t.field({
      type: Message,
      description: 'The message as posted (the tombstone if it has been deleted since: its text is erased).',
      resolve: async (event, _args, ctx) => {
        // Fan-out holds the row (realtime/liveRows.ts): no read. Asked because an event replayed from the feed's
        // memory still holds a text that a deletion has erased since; the tombstone is all there is to show.
        const row = await ctx.loaders.messages(event.data.messageId);
        if (event.erased || (row && row.deletedAt !== null)) return orNotFound(row, 'message', event.data.messageId);
        // As posted, from the event itself (an edit since does not change what this event was).
        return messageOf(event);
      },
    }),
  }),
});

const PostMessageInput = builder.inputType('PostMessageInput', {
  description: 'A message to post.',
  fields: (t) => ({
    threadId: t.id({ required: true, description: 'The thread to post in.' }),
    body: t.string({
      required: true,
      description: `${range(LIMITS.body)} characters after trimming, counted after \`:shortcode:\`s are turned into emoji (\`:tada:\` → 🎉; unknown ones, and in MARKDOWN those in code, stay as typed). With attachmentIds it may be blank (stored as '').`,
    }),
    replyToId: t.id({ description: 'A message of the same thread to answer.' }),
    idempotencyKey: t.string({ description: 'Retry with the same key and the message is posted once (the key is bound to the whole input: a different body, format or attachmentIds under it is CONFLICT).' }),
    format: t.field({ type: MessageFormat, defaultValue: 'markdown', description: 'How `body` is to be rendered: MARKDOWN unless asked (null too).' }),
    attachmentIds: t.idList({
      description: `Uploads of yours (uploadAttachment) not yet posted, at most ${MAX_ATTACHMENTS}, each once, in the order to show them: BAD_USER_INPUT for more, a repeated or a malformed id; NOT_FOUND for one that is not your upload; BAD_USER_INPUT for one already posted.`,
    }),
  }),
});

const PostMessagePayload = builder.objectRef<{ message: MessageRow; position: number }>('PostMessagePayload').implement({
  description: 'The posted message.',
  fields: (t) => ({
    message: t.field({ type: Message, description: 'The message as posted.', resolve: (p) => p.message }),
    position: t.field({ type: 'Position', description: 'Log position of the MessagePosted event.', resolve: (p) => p.position }),
  }),
});

builder.mutationField('postMessage', (t) =>
  t.field({
    type: PostMessagePayload,
    description: `Posts a message: MARKDOWN unless \`format\` says PLAIN, \`:shortcode:\`s turned into emoji, with up to ${MAX_ATTACHMENTS} attachments. Needs a token; FORBIDDEN in a locked thread or while suspended. NOT_FOUND for an unknown thread or replyTo. Counts toward the posting rate limit.`,
    args: { input: t.arg({ type: PostMessageInput, required: true, description: 'The thread, the text, and optionally the message it answers.' }) },
    resolve: async (_root, { input }, ctx) =>
      postMessage(ctx.services, await requireActor(ctx), {
        threadId: String(input.threadId),
        body: input.body,
        replyToId: input.replyToId == null ? null : String(input.replyToId),
        idempotencyKey: input.idempotencyKey,
        format: input.format,
        attachmentIds: input.attachmentIds?.map(String),
      }),
  }),
);
