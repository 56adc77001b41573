/** Message (`postMessage`: src/modules/messagePosted.graphql.ts). */
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
