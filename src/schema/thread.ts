/** Thread, its messages, and the `threads`/`thread` queries (`createThread`: src/modules/threadCreated.graphql.ts). */
import { LIMITS, PAGE_SIZES, range, validate } from '../input/limits.ts';
import { hasMessage, messagesBetween } from '../projections/messagesQueries.ts';
import type { MessageRow } from '../projections/messagesProjection.ts';
import { recentThreads, threadActiveSince } from '../projections/threadsQueries.ts';
import type { ThreadRow } from '../projections/threadsProjection.ts';
import { threadAsOf } from '../projections/timeTravel.ts';
import type { Sql } from '../db/database.ts';
import { builder } from './builder.ts';
import { connectionOf, decodeCursor, defineConnection, type PagedList, pageOf, pageSize } from './connection.ts';
import { Node } from './node.ts';
import { orNotFound, Message, Thread, User } from './refs.ts';

export const MessageConnection = defineConnection<MessageRow>('Message', Message);
const ThreadConnection = defineConnection<ThreadRow>('Thread', Thread);

const MESSAGES = PAGE_SIZES.messages;
const THREADS = PAGE_SIZES.threads;

/** What a page can hold: the smaller of `first` and `last` (for the complexity limit). */
function pageBound({ first, last }: { readonly first?: number | null | undefined; readonly last?: number | null | undefined }, fallback: number): number {
  if (first == null && last == null) return fallback;
  return Math.min(first ?? Number.POSITIVE_INFINITY, last ?? Number.POSITIVE_INFINITY);
}

Thread.implement({
  description: 'A conversation with a title.',
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable, globally unique id (a UUID): `thread(id:)` and `node(id:)` find the thread by it.' }),
    title: t.exposeString('title', { description: `${range(LIMITS.title)} characters.` }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (th) => th.createdAt }),
    createdBy: t.field({
      type: User,
      description: 'Who created it.',
      resolve: async (th, _args, ctx) => orNotFound(await ctx.loaders.users(th.createdBy), 'user', th.createdBy),
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
      description: [
        'Messages in chronological order, paged as the Relay Cursor Connections spec says (ApplyCursorsToEdges, then `first`, then `last`).',
        '`last: n` is the latest n; page older ones with `last` and `before`, newer ones with `first` and `after`.',
        '`after` and `before` together: the messages strictly between them. `first` and `last` together: the last `last` of the first `first`.',
        `Without \`first\` or \`last\`: the first ${MESSAGES.default}, or the last ${MESSAGES.default} when only \`before\` is given.`,
      ].join(' '),
      complexity: (args) => ({ field: 1, multiplier: pageBound(args, MESSAGES.default) }),
      args: {
        first: t.arg.int({ description: `Keep the first n of the range (0–${MESSAGES.max}).` }),
        after: t.arg.string({ description: 'A cursor: only messages after it.' }),
        last: t.arg.int({ description: `Keep the last n of the range, after \`first\` if both are given (0–${MESSAGES.max}).` }),
        before: t.arg.string({ description: 'A cursor: only messages before it.' }),
      },
      resolve: (th, args, ctx) => pageOf(th.history ? historyList(th.history) : readModelList(ctx.services.db, th.id), args, MESSAGES),
    }),
  }),
});

builder.queryFields((t) => ({
  threads: t.field({
    type: ThreadConnection,
    description: `Threads, most recent activity first. Pages forward only, with \`first\` and \`after\`. A thread that gains activity while you page moves to the front, past your cursor: the list's start, or the \`events\` subscription, shows it.`,
    complexity: (args) => ({ field: 1, multiplier: args.first ?? THREADS.default }),
    args: {
      first: t.arg.int({ description: `How many threads (0–${THREADS.max}); default ${THREADS.default}.` }),
      after: t.arg.string({ description: "A cursor: the threads after it in this order (less recently active). The page's `endCursor` for the next page." }),
    },
    resolve: async (_root, args, ctx) => {
      const n = pageSize(args.first, 'first', THREADS.default, THREADS.max);
      const after = decodeCursor(args.after, 'after');
      const rows = await recentThreads(ctx.services.db, n + 1, after);
      return connectionOf(rows.slice(0, n), {
        hasNextPage: rows.length > n,
        hasPreviousPage: after === undefined ? false : () => threadActiveSince(ctx.services.db, after),
      });
    },
  }),
  thread: t.field({
    type: Thread,
    nullable: true,
    description: 'One thread by id, or null. With `asOf`, as it was at that log position (null if it did not exist yet).',
    args: {
      id: t.arg.id({ required: true, description: 'The thread\'s id (a UUID; BAD_USER_INPUT otherwise).' }),
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

/** A thread's messages in the read model. */
function readModelList(db: Sql, threadId: string): PagedList<MessageRow> {
  return {
    slice: (bounds, limit, from) => messagesBetween(db, threadId, bounds, limit, from === 'start' ? 'oldest' : 'newest'),
    anyUpTo: (after) => hasMessage(db, threadId, 'atOrBefore', after),
    anyFrom: (before) => hasMessage(db, threadId, 'atOrAfter', before),
  };
}

/** A thread's messages as folded from the log for `thread(asOf:)`, in position order. */
function historyList(messages: readonly MessageRow[]): PagedList<MessageRow> {
  return {
    slice: async ({ after, before }, limit, from) => {
      const between = messages.filter((m) => (after === undefined || m.position > after) && (before === undefined || m.position < before));
      return from === 'start' ? between.slice(0, limit) : between.slice(Math.max(0, between.length - limit));
    },
    anyUpTo: async (after) => messages.some((m) => m.position <= after),
    anyFrom: async (before) => messages.some((m) => m.position >= before),
  };
}
