/** Thread, its messages, and the `threads`/`thread` queries (`createThread`: src/modules/threadCreated.graphql.ts). */
import { validate } from '../input/limits.ts';
import { messagesAfter, messagesBefore } from '../projections/messagesQueries.ts';
import type { MessageRow } from '../projections/messagesProjection.ts';
import { recentThreads } from '../projections/threadsQueries.ts';
import type { ThreadRow } from '../projections/threadsProjection.ts';
import { threadAsOf } from '../projections/timeTravel.ts';
import type { Sql } from '../db/database.ts';
import { builder } from './builder.ts';
import { connectionOf, decodeCursor, defineConnection, pageSize } from './connection.ts';
import { found, Message, Thread, User } from './refs.ts';
import { requireActor } from './viewer.ts';

const MessageConnection = defineConnection<MessageRow>('Message', Message);
const ThreadConnection = defineConnection<ThreadRow>('Thread', Thread);

Thread.implement({
  description: 'A conversation with a title.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id (a UUID).' }),
    title: t.exposeString('title', { description: '1–200 characters.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (th) => th.createdAt }),
    createdBy: t.field({
      type: User,
      description: 'Who created it.',
      resolve: async (th, _args, ctx) => found(await ctx.loaders.users(th.createdBy), 'user', th.createdBy),
    }),
    messageCount: t.exposeInt('messageCount', { description: 'How many messages it holds.' }),
    lastActivityAt: t.field({ type: 'DateTime', description: 'When it was created or last posted to.', resolve: (th) => th.lastActivityAt }),
    position: t.field({
      type: 'Position',
      description: "Position of the thread's latest event: subscribe to threadEvents(after: position) to miss nothing.",
      resolve: (th) => th.position,
    }),
    messages: t.field({
      type: MessageConnection,
      description: 'Messages in chronological order. `last: 50` is the latest 50; page older ones with `before`, newer with `after`.',
      complexity: (args) => ({ field: 1, multiplier: args.last ?? args.first ?? 50 }),
      args: {
        first: t.arg.int({ description: 'At most 500.' }),
        after: t.arg.string(),
        last: t.arg.int({ description: 'At most 500.' }),
        before: t.arg.string(),
      },
      resolve: async (th, args, ctx) => {
        const source = th.history ? historySource(th.history) : readModelSource(ctx.services.db, th.id);
        const after = decodeCursor(args.after, 'after');
        const before = decodeCursor(args.before, 'before');
        if (args.last != null || (before !== undefined && args.first == null)) {
          const n = pageSize(args.last, 'last', 50, 500);
          const rows = await source.newestBefore(before, n + 1);
          const page = rows.length > n ? rows.slice(rows.length - n) : rows;
          return connectionOf(page, { hasPreviousPage: rows.length > n, hasNextPage: before !== undefined });
        }
        const n = pageSize(args.first, 'first', 50, 500);
        const rows = await source.oldestAfter(after ?? 0, n + 1);
        const page = rows.slice(0, n).filter((m) => before === undefined || m.position < before);
        return connectionOf(page, { hasNextPage: rows.length > n, hasPreviousPage: after !== undefined && after > 0 });
      },
    }),
  }),
});

builder.queryFields((t) => ({
  threads: t.field({
    type: ThreadConnection,
    description: 'Threads, most recent activity first.',
    complexity: (args) => ({ field: 1, multiplier: args.first ?? 20 }),
    args: { first: t.arg.int({ description: 'At most 100; default 20.' }), after: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const n = pageSize(args.first, 'first', 20, 100);
      const rows = await recentThreads(ctx.services.db, n + 1, decodeCursor(args.after, 'after'));
      return connectionOf(rows.slice(0, n), { hasNextPage: rows.length > n, hasPreviousPage: args.after != null });
    },
  }),
  thread: t.field({
    type: Thread,
    nullable: true,
    description: 'One thread by id, or null. With `asOf`, as it was at that log position (null if it did not exist yet).',
    args: {
      id: t.arg.id({ required: true }),
      asOf: t.arg({ type: 'Position', description: 'The thread and its messages as they were when the log stood at this position, folded from the events.' }),
    },
    resolve: async (_root, args, ctx) => {
      const id = validate.uuid(String(args.id), 'id');
      if (args.asOf == null) return ctx.loaders.threads(id);
      const folded = await threadAsOf(ctx.services.store, id, args.asOf);
      return folded ? { ...folded.thread, history: folded.messages } : null;
    },
  }),
}));

/** Where a thread's messages come from: the read model, or a history folded from the log. */
interface MessageSource {
  /** The newest `limit` messages before `before` (all when undefined), oldest first. */
  newestBefore(before: number | undefined, limit: number): Promise<readonly MessageRow[]>;
  /** The oldest `limit` messages after `after`, oldest first. */
  oldestAfter(after: number, limit: number): Promise<readonly MessageRow[]>;
}

function readModelSource(db: Sql, threadId: string): MessageSource {
  return {
    newestBefore: (before, limit) => messagesBefore(db, threadId, before, limit),
    oldestAfter: (after, limit) => messagesAfter(db, threadId, after, limit),
  };
}

function historySource(messages: readonly MessageRow[]): MessageSource {
  return {
    newestBefore: async (before, limit) => {
      const older = before === undefined ? messages : messages.filter((m) => m.position < before);
      return older.slice(Math.max(0, older.length - limit));
    },
    oldestAfter: async (after, limit) => messages.filter((m) => m.position > after).slice(0, limit),
  };
}
