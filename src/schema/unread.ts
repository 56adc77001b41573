/**
 * Read markers and unread counts as GraphQL: `markRead`, the viewer's
 * `Thread.unreadCount`, `unreadMentionCount` and `lastReadPosition`,
 * `Query.unreadThreads`, and `Subscription.myThreads` that keeps a thread
 * list's counts live. A thread list's page, and the viewers of one
 * myThreads update, ask together (unread/unreadBatches.ts).
 */
import { UnauthenticatedError } from '../errors.ts';
import { markRead } from '../unread/markRead.ts';
import type { ThreadUpdate as Update } from '../unread/threadUpdates.ts';
import { unreadBatchesOf } from '../unread/unreadBatches.ts';
import { type UnreadRow, unreadThreadCount } from '../unread/unreadQueries.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { heldWhileOpen } from './presenceHold.ts';
import { orNotFound, Thread } from './refs.ts';
import { requireActor } from './viewer.ts';

const BASELINE =
  'A thread the viewer never marked counts from when the viewer registered: messages posted before they had an account are not unread. Subscriptions shared by every subscriber (`threadEvents`, `events`) have no viewer: ask `myThreads` for live counts.';

/** The viewer's counts in a thread; null without a viewer (every count 0, no marker). Batched with every other reader's asked in this turn (unread/unreadBatches.ts). */
async function unreadOf(ctx: Context, threadId: string): Promise<UnreadRow | null> {
  // A thread as it was (`thread(asOf:)`) has the same id; its counts are the viewer's now.
  const viewer = await ctx.viewer();
  return viewer ? unreadBatchesOf(ctx.services.db).count({ userId: viewer.id, baseline: viewer.position }, threadId) : null;
}

builder.objectFields(Thread, (t) => ({
  unreadCount: t.int({
    description: `Messages after the viewer's read marker that are not deleted and not the viewer's own. 0 without a token. ${BASELINE}`,
    resolve: async (thread, _args, ctx) => (await unreadOf(ctx, thread.id))?.unreadCount ?? 0,
  }),
  unreadMentionCount: t.int({
    description: `Of those unread messages, the ones that mention the viewer (\`Message.mentions\`). 0 without a token. ${BASELINE}`,
    resolve: async (thread, _args, ctx) => (await unreadOf(ctx, thread.id))?.unreadMentionCount ?? 0,
  }),
  lastReadPosition: t.field({
    type: 'Position',
    nullable: true,
    description: "Where the viewer's read marker stands (`markRead`); null when they never marked this thread, and without a token.",
    resolve: async (thread, _args, ctx) => (await unreadOf(ctx, thread.id))?.lastReadPosition ?? null,
  }),
}));

builder.queryField('unreadThreads', (t) =>
  t.int({
    description: `How many threads have an \`unreadCount\` above 0 for the viewer. 0 without a token. ${BASELINE}`,
    resolve: async (_root, _args, ctx) => {
      const viewer = await ctx.viewer();
      return viewer ? unreadThreadCount(ctx.services.db, { userId: viewer.id, baseline: viewer.position }) : 0;
    },
  }),
);

const MarkReadInput = builder.inputType('MarkReadInput', {
  description: 'How far the viewer has read a thread.',
  fields: (t) => ({
    threadId: t.id({ required: true, description: 'The thread (NOT_FOUND when there is none).' }),
    position: t.field({
      type: 'Position',
      required: true,
      description: "A log position up to which the thread is read: usually the last message's, or the thread's `position`. At most the log's head (BAD_USER_INPUT beyond it).",
    }),
  }),
});

builder.mutationField('markRead', (t) =>
  t.field({
    type: Thread,
    description: [
      "Moves the viewer's read marker in a thread forward to `position`; never back: an older position changes nothing and is no error.",
      'Markers are kept in a table, not the log (private to their user; they survive restarts and `thrds rebuild`), so this writes no event.',
      "The viewer's other `myThreads` subscriptions get a READ update. Needs a token; counts toward the read-marker rate limit (RATE_LIMITED).",
    ].join(' '),
    args: { input: t.arg({ type: MarkReadInput, required: true, description: 'The thread and the position.' }) },
    resolve: async (_root, { input }, ctx) => {
      const result = await markRead(ctx.services, await requireActor(ctx), { threadId: String(input.threadId), position: input.position });
      return orNotFound(await ctx.loaders.threads(result.threadId), 'thread', result.threadId);
    },
  }),
);

const ThreadUpdateReason = builder.enumType('ThreadUpdateReason', {
  description: 'Why a thread appears in `myThreads`.',
  values: {
    THREAD_CREATED: { value: 'THREAD_CREATED', description: 'The thread was created.' },
    THREAD_RENAMED: { value: 'THREAD_RENAMED', description: 'Its title changed.' },
    THREAD_LOCK_CHANGED: { value: 'THREAD_LOCK_CHANGED', description: 'A moderator locked or unlocked it.' },
    MESSAGE_POSTED: { value: 'MESSAGE_POSTED', description: 'A message was posted to it.' },
    MESSAGE_EDITED: { value: 'MESSAGE_EDITED', description: 'A message in it was edited (its mentions may have changed).' },
    MESSAGE_DELETED: { value: 'MESSAGE_DELETED', description: 'A message in it was deleted (no longer unread).' },
    READ: { value: 'READ', description: "The viewer moved their read marker in it (from any device)." },
  } as const satisfies Record<Update['reason'], { value: Update['reason']; description: string }>,
});

const ThreadUpdate = builder.objectRef<Update>('ThreadUpdate').implement({
  description: "A change to a thread as the viewer's thread list sees it: select `thread { unreadCount unreadMentionCount lastReadPosition }` for the counts as they are now.",
  fields: (t) => ({
    thread: t.field({
      type: Thread,
      description: 'The thread, as it is now, with the viewer\'s counts.',
      resolve: async (update, _args, ctx) => orNotFound(await ctx.loaders.threads(update.threadId), 'thread', update.threadId),
    }),
    position: t.field({
      type: 'Position',
      nullable: true,
      description: "The position of the event that changed the thread; for READ, where the viewer's marker now stands.",
      resolve: (update) => update.position,
    }),
    reason: t.field({ type: ThreadUpdateReason, description: 'What happened.', resolve: (update) => update.reason }),
  }),
});

builder.subscriptionField('myThreads', (t) =>
  t.field({
    type: ThreadUpdate,
    description:
      "Live from now: each thread event a thread list cares about (not reactions), and the viewer's own read-marker moves from any device, so a client keeps its list's unread counts without re-querying. Needs a token (UNAUTHENTICATED). A client that falls behind loses older updates of a thread it has a newer one for.",
    extensions: { viewerScoped: true },
    subscribe: async (_root, _args, ctx) => {
      const viewer = await ctx.viewer();
      if (!viewer) throw new UnauthenticatedError();
      return heldWhileOpen(ctx, ctx.services.threadUpdates.watch(viewer.id));
    },
    resolve: (update) => update,
  }),
);
