/**
 * The log as GraphQL: the Event interface and its types, the `events`
 * query for audit clients, and the resumable subscriptions.
 */
import { validate } from '../input/limits.ts';
import { NotFoundError } from '../errors.ts';
import { streamOf, type StoredEvent } from '../events/types.ts';
import { upcast } from '../events/upcast.ts';
import { cappedList, MAX_LIST_ARGUMENT } from '../protection/operationLimits.ts';
import { builder } from './builder.ts';
import { pageSize } from './connection.ts';
import { found, Message, Thread, User } from './refs.ts';

const KNOWN = ['ThreadCreated', 'MessagePosted', 'UserRegistered'] as const;

const str = (event: StoredEvent, key: string) => String(event.data[key]);

export const Event = builder.interfaceRef<StoredEvent>('Event').implement({
  description: 'A fact recorded in the log.',
  resolveType: (event) => ((KNOWN as readonly string[]).includes(event.type) ? event.type : 'OtherEvent'),
  fields: (t) => ({
    position: t.field({ type: 'Position', description: 'Global position: gap-free, in commit order.', resolve: (e) => e.position }),
    eventId: t.exposeID('eventId', { description: 'Unique id of the event.' }),
    type: t.exposeString('type', { description: 'What happened, e.g. MessagePosted.' }),
    schemaVersion: t.exposeInt('schemaVersion', { description: 'Version of the data shape, after upcasting to the current one.' }),
    streamId: t.exposeID('streamId', { description: 'The stream: thread-<id> or user-<id>.' }),
    streamVersion: t.exposeInt('streamVersion', { description: "The event's number within its stream, from 1." }),
    recordedAt: t.field({ type: 'DateTime', description: 'When the log recorded it.', resolve: (e) => e.recordedAt }),
    actor: t.field({
      type: User,
      nullable: true,
      description: 'Who caused it.',
      resolve: (e, _args, ctx) => (e.metadata.actorId ? ctx.loaders.users(e.metadata.actorId) : null),
    }),
    correlationId: t.string({ description: 'Id of the request that caused it.', resolve: (e) => e.metadata.correlationId }),
    data: t.field({ type: 'JSON', description: 'What happened, in full.', resolve: (e) => e.data }),
    hash: t.exposeString('hash', { description: "SHA-256 over the previous event's hash and this event, hex." }),
  }),
});

const ThreadCreated = builder.objectRef<StoredEvent>('ThreadCreated').implement({
  description: 'A thread was opened.',
  interfaces: [Event],
  isTypeOf: (e) => (e as StoredEvent).type === 'ThreadCreated',
  fields: (t) => ({
    thread: t.field({
      type: Thread,
      description: 'The thread (as it is now).',
      resolve: async (e, _args, ctx) => found(await ctx.loaders.threads(str(e, 'threadId')), 'thread', str(e, 'threadId')),
    }),
  }),
});

const MessagePosted = builder.objectRef<StoredEvent>('MessagePosted').implement({
  description: 'A message was posted.',
  interfaces: [Event],
  isTypeOf: (e) => (e as StoredEvent).type === 'MessagePosted',
  fields: (t) => ({
    message: t.field({
      type: Message,
      description: 'The message.',
      resolve: async (e, _args, ctx) => found(await ctx.loaders.messages(str(e, 'messageId')), 'message', str(e, 'messageId')),
    }),
  }),
});

builder.objectRef<StoredEvent>('UserRegistered').implement({
  description: 'Someone signed up.',
  interfaces: [Event],
  isTypeOf: (e) => (e as StoredEvent).type === 'UserRegistered',
  fields: (t) => ({
    user: t.field({
      type: User,
      description: 'The user.',
      resolve: async (e, _args, ctx) => found(await ctx.loaders.users(str(e, 'userId')), 'user', str(e, 'userId')),
    }),
  }),
});

builder.objectRef<StoredEvent>('OtherEvent').implement({
  description: 'An event of a type this schema does not model yet; see `type` and `data`.',
  interfaces: [Event],
  isTypeOf: (e) => !(KNOWN as readonly string[]).includes((e as StoredEvent).type),
  fields: () => ({}),
});

const ThreadEvent = builder.unionType('ThreadEvent', {
  description: 'What can happen in a thread.',
  types: [ThreadCreated, MessagePosted],
  resolveType: (e) => (e.type === 'ThreadCreated' ? ThreadCreated : MessagePosted),
});

builder.queryField('events', (t) =>
  t.field({
    type: [Event],
    description: 'The raw log in position order, for audit. Page with `after` = the last position you saw.',
    complexity: (args) => ({ field: 1, multiplier: args.first ?? 100 }),
    args: {
      after: t.arg({ type: 'Position', description: 'Start after this position (default: the beginning).' }),
      first: t.arg.int({ description: 'At most 1000; default 100.' }),
      streamId: t.arg.id({ description: 'Only this stream.' }),
      types: t.arg.stringList({ description: `Only these event types (at most ${MAX_LIST_ARGUMENT}).` }),
    },
    resolve: async (_root, args, ctx) => {
      const events = await ctx.services.store.readAll({
        after: args.after ?? 0,
        limit: pageSize(args.first, 'first', 100, 1000),
        ...(args.streamId != null ? { streamId: String(args.streamId) } : {}),
        ...(args.types != null ? { types: cappedList(args.types, 'types') } : {}),
      });
      return events.map(upcast);
    },
  }),
);

builder.subscriptionType({
  description: 'Live events. With `after`, first every stored event after that position, then live: no gap, no duplicate, in order.',
  fields: (t) => ({
    threadEvents: t.field({
      type: ThreadEvent,
      description: "A thread's events after `after`, then live. Without `after`, live from now.",
      args: { threadId: t.arg.id({ required: true }), after: t.arg({ type: 'Position' }) },
      subscribe: async (_root, args, ctx) => {
        const threadId = validate.uuid(String(args.threadId), 'threadId');
        if (!(await ctx.loaders.threads(threadId))) throw new NotFoundError(`No thread ${threadId}`, { threadId });
        return ctx.services.feed.subscribe(args.after ?? undefined, { streamId: streamOf.thread(threadId) });
      },
      resolve: (event) => upcast(event),
    }),
    events: t.field({
      type: Event,
      description: 'Every event after `after`, then live. Without `after`, live from now.',
      args: { after: t.arg({ type: 'Position' }) },
      subscribe: (_root, args, ctx) => ctx.services.feed.subscribe(args.after ?? undefined),
      resolve: (event) => upcast(event),
    }),
  }),
});
