/** ThreadLockChanged as GraphQL: the event type, `Thread.locked`, and `lockThread`. */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { orNotFound, Thread } from '../schema/refs.ts';
import { requireActor } from '../schema/viewer.ts';
import type { Recorded } from './eventModule.ts';
import { lockThread, threadLockChanged, type ThreadLockChangedData } from './threadLockChanged.ts';

type ThreadLockChangedEvent = Recorded<'ThreadLockChanged', ThreadLockChangedData>;

export const ThreadLockChanged = builder.objectRef<ThreadLockChangedEvent>(threadLockChanged.type).implement({
  description: 'A thread was locked or unlocked. `actor` is the moderator.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as ThreadLockChangedEvent).type === threadLockChanged.type,
  fields: (t) => ({
    thread: t.field({
      type: Thread,
      description: 'The thread, as it is now.',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.threads(event.data.threadId), 'thread', event.data.threadId),
    }),
    locked: t.boolean({ description: 'True: locked by this event; false: unlocked.', resolve: (event) => event.data.locked }),
  }),
});

builder.objectField(Thread, 'locked', (t) =>
  t.boolean({
    description: 'Locked by a moderator: new posts, reactions, edits and renames are refused (FORBIDDEN); reading and deleting still work.',
    resolve: (thread) => thread.locked,
  }),
);

const LockThreadInput = builder.inputType('LockThreadInput', {
  description: 'A thread, and whether it is to be locked.',
  fields: (t) => ({
    threadId: t.id({ required: true, description: 'The thread (a UUID).' }),
    locked: t.boolean({ required: true, description: 'True to lock it, false to unlock it.' }),
  }),
});

builder.mutationField('lockThread', (t) =>
  t.field({
    type: Thread,
    description: [
      'Locks or unlocks a thread, appending ThreadLockChanged (nothing when it is already so). Needs a token.',
      'Moderators and admins only (FORBIDDEN otherwise); NOT_FOUND for an unknown thread. Counts toward the moderation rate limit (THRDS_RATE_MODERATION_PER_USER).',
    ].join(' '),
    args: { input: t.arg({ type: LockThreadInput, required: true, description: 'The thread and its new state.' }) },
    resolve: async (_root, { input }, ctx) => lockThread(ctx.services, await requireActor(ctx), { threadId: String(input.threadId), locked: input.locked }),
  }),
);
