/** ThreadCreated as GraphQL: the event type, and `createThread`. */
import { LIMITS, range } from '../input/limitValues.ts';
import type { ThreadRow } from '../projections/threadsProjection.ts';
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { Thread } from '../schema/refs.ts';
import { requireActor } from '../schema/viewer.ts';
import type { Recorded } from './eventModule.ts';
import { createThread, threadCreated, type ThreadCreatedData, threadOf } from './threadCreated.ts';

type ThreadCreatedEvent = Recorded<'ThreadCreated', ThreadCreatedData>;

export const ThreadCreated = builder.objectRef<ThreadCreatedEvent>(threadCreated.type).implement({
  description: 'A thread was opened.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as ThreadCreatedEvent).type === threadCreated.type,
  fields: (t) => ({
    thread: t.field({
      type: Thread,
      description: 'The thread as this event opened it (no messages yet); query `thread(id:)` for how it is now.',
      // From the event itself: no read, and a replay gives the same answer as the live delivery did.
      resolve: (event) => threadOf(event),
    }),
  }),
});

const CreateThreadInput = builder.inputType('CreateThreadInput', {
  description: 'A new thread.',
  fields: (t) => ({
    title: t.string({ required: true, description: `${range(LIMITS.title)} characters after trimming.` }),
    idempotencyKey: t.string({ description: 'Retry with the same key and the thread is created once.' }),
  }),
});

const CreateThreadPayload = builder.objectRef<{ thread: ThreadRow; position: number }>('CreateThreadPayload').implement({
  description: 'The created thread.',
  fields: (t) => ({
    thread: t.field({ type: Thread, description: 'The new thread (or, for a retry, the thread as it is now).', resolve: (p) => p.thread }),
    position: t.field({ type: 'Position', description: 'Log position of the ThreadCreated event.', resolve: (p) => p.position }),
  }),
});

builder.mutationField('createThread', (t) =>
  t.field({
    type: CreateThreadPayload,
    description: 'Opens a thread. Needs a token.',
    args: { input: t.arg({ type: CreateThreadInput, required: true, description: 'The title, and an optional idempotency key.' }) },
    resolve: async (_root, { input }, ctx) => createThread(ctx.services, await requireActor(ctx), input),
  }),
);
