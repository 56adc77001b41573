/** ThreadRenamed as GraphQL: the event type, and `renameThread`. */
import { LIMITS, range } from '../input/limitValues.ts';
import type { ThreadRow } from '../projections/threadsProjection.ts';
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { orNotFound, Thread } from '../schema/refs.ts';
import { requireActor } from '../schema/viewer.ts';
import type { Recorded } from './eventModule.ts';
import { renameThread, threadRenamed, type ThreadRenamedData } from './threadRenamed.ts';

type ThreadRenamedEvent = Recorded<'ThreadRenamed', ThreadRenamedData>;

export const ThreadRenamed = builder.objectRef<ThreadRenamedEvent>(threadRenamed.type).implement({
  description: 'A thread was given a new title.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as ThreadRenamedEvent).type === threadRenamed.type,
  fields: (t) => ({
    thread: t.field({
      type: Thread,
      description: 'The thread, as it is now.',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.threads(event.data.threadId), 'thread', event.data.threadId),
    }),
    previousTitle: t.string({ description: 'The title it had before.', resolve: (event) => event.data.previousTitle }),
    title: t.string({ description: 'The title it was given.', resolve: (event) => event.data.title }),
  }),
});

const RenameThreadInput = builder.inputType('RenameThreadInput', {
  description: 'A new title for a thread.',
  fields: (t) => ({
    threadId: t.id({ required: true, description: 'The thread to rename (one you created).' }),
    title: t.string({ required: true, description: `${range(LIMITS.title)} characters after trimming.` }),
    idempotencyKey: t.string({ description: 'Retry with the same key and the thread is renamed once.' }),
  }),
});

const RenameThreadPayload = builder.objectRef<{ thread: ThreadRow; position: number }>('RenameThreadPayload').implement({
  description: 'The renamed thread.',
  fields: (t) => ({
    thread: t.field({ type: Thread, description: 'The thread with its new title.', resolve: (p) => p.thread }),
    position: t.field({
      type: 'Position',
      description: "Log position of the ThreadRenamed event (the thread's latest position when the title was already this).",
      resolve: (p) => p.position,
    }),
  }),
});

builder.mutationField('renameThread', (t) =>
  t.field({
    type: RenameThreadPayload,
    description: 'Gives a thread a new title. Needs a token; only its creator may (FORBIDDEN otherwise); NOT_FOUND for an unknown thread. Counts toward the posting rate limit.',
    args: { input: t.arg({ type: RenameThreadInput, required: true, description: 'The thread and its new title.' }) },
    resolve: async (_root, { input }, ctx) =>
      renameThread(ctx.services, await requireActor(ctx), { threadId: String(input.threadId), title: input.title, idempotencyKey: input.idempotencyKey }),
  }),
);
