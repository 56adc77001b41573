/** Message and `postMessage`. */
import { postMessage } from '../commands/postMessage.ts';
import type { MessageRow } from '../projections/messagesProjection.ts';
import { builder } from './builder.ts';
import { found, Message, Thread, User } from './refs.ts';
import { requireActor } from './viewer.ts';

Message.implement({
  description: 'A message posted in a thread.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id (a UUID).' }),
    thread: t.field({
      type: Thread,
      description: 'The thread it was posted in.',
      resolve: async (m, _args, ctx) => found(await ctx.loaders.threads(m.threadId), 'thread', m.threadId),
    }),
    author: t.field({
      type: User,
      description: 'Who posted it.',
      resolve: async (m, _args, ctx) => found(await ctx.loaders.users(m.authorId), 'user', m.authorId),
    }),
    body: t.exposeString('body', { description: 'The text, 1–4000 characters; render it as text.' }),
    format: t.exposeString('format', { description: '`plain` (every message so far).' }),
    postedAt: t.field({ type: 'DateTime', description: 'When it was posted.', resolve: (m) => m.postedAt }),
    position: t.field({ type: 'Position', description: 'Its position in the log.', resolve: (m) => m.position }),
    replyTo: t.field({
      type: Message,
      nullable: true,
      description: 'The message it answers, if any.',
      resolve: (m, _args, ctx) => (m.replyToId ? ctx.loaders.messages(m.replyToId) : null),
    }),
  }),
});

const PostMessageInput = builder.inputType('PostMessageInput', {
  description: 'A message to post.',
  fields: (t) => ({
    threadId: t.id({ required: true }),
    body: t.string({ required: true, description: '1–4000 characters after trimming.' }),
    replyToId: t.id({ description: 'A message of the same thread to answer.' }),
    idempotencyKey: t.string({ description: 'Retry with the same key and the message is posted once.' }),
  }),
});

const PostMessagePayload = builder.objectRef<{ message: MessageRow; position: number }>('PostMessagePayload').implement({
  description: 'The posted message.',
  fields: (t) => ({
    message: t.field({ type: Message, resolve: (p) => p.message }),
    position: t.field({ type: 'Position', description: 'Log position of the MessagePosted event.', resolve: (p) => p.position }),
  }),
});

builder.mutationField('postMessage', (t) =>
  t.field({
    type: PostMessagePayload,
    description: 'Posts a message. Needs a token. NOT_FOUND for an unknown thread or replyTo.',
    args: { input: t.arg({ type: PostMessageInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      postMessage(ctx.services, await requireActor(ctx), {
        threadId: String(input.threadId),
        body: input.body,
        replyToId: input.replyToId == null ? null : String(input.replyToId),
        idempotencyKey: input.idempotencyKey,
      }),
  }),
);
