/**
 * The log as GraphQL: the Event interface, the `events` query for audit
 * clients, and the resumable subscriptions. Each event type's own GraphQL
 * type is in its module (src/modules/*.graphql.ts).
 */
import { isBotDraft } from '../bots/types.ts';
import { ValidationError, NotFoundError } from '../errors.ts';
import { streamOf, type StoredEvent } from '../events/types.ts';
import { validate } from '../input/limits.ts';
import { eventObjectTypes } from '../modules/graphql.ts';
import { type ChatEventType, isKnown, knownEventTypes, moduleOf } from '../modules/index.ts';
import { cappedList, MAX_LIST_ARGUMENT } from '../protection/operationLimits.ts';
import { BotDraft } from './botDraft.ts';
import { builder } from './builder.ts';
import { PAGE_SIZES } from '../input/limitValues.ts';
import { pageSize } from './connection.ts';
import { Event } from './eventRef.ts';
import { Node } from './node.ts';
import { heldWhileOpen } from './presenceHold.ts';
import { User } from './refs.ts';

Event.implement({
  description: 'A fact recorded in the log. Its `id` (Node) is its `eventId`: normalized caches key events by it.',
  interfaces: [Node],
  // Exhaustive over the known types (eventObjectTypes names one for each); OtherEvent only for a type no module knows.
  resolveType: (event) => (isKnown(event) ? eventObjectTypes[event.type].name : 'OtherEvent'),
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

builder.objectRef<StoredEvent>('OtherEvent').implement({
  description: 'An event of a type this schema does not model yet; see `type` and `data`.',
  interfaces: [Event, Node],
  isTypeOf: (event) => !isKnown(event as StoredEvent),
  fields: () => ({}),
});

/** The types delivered on `threadEvents`: every module whose events belong to a thread's stream. */
const threadEventTypes = knownEventTypes.filter((type) => moduleOf(type)?.stream === 'thread');

const ThreadEvent = builder.unionType('ThreadEvent', {
  description: "What can happen in a thread: its events, and bots' drafts (BotDraft: ephemeral, not in the log).",
  types: [...threadEventTypes.map((type) => eventObjectTypes[type]), BotDraft],
  resolveType: (event) => {
    if (isBotDraft(event)) return BotDraft.name;
    const stored = event as StoredEvent;
    if (!isKnown(stored) || !threadEventTypes.includes(stored.type)) throw new Error(`${stored.type} is not a thread event`);
    return eventObjectTypes[stored.type].name;
  },
});

/** `types:` names known event types only: a typo would otherwise match nothing, silently. */
function eventTypes(types: readonly string[]): ChatEventType[] {
  const unknown = types.filter((type) => !moduleOf(type));
  if (unknown.length > 0) {
    throw new ValidationError(`Unknown event type ${unknown.map((type) => JSON.stringify(type)).join(', ')}: known types are ${knownEventTypes.join(', ')}`, { types: unknown });
  }
  return types as ChatEventType[];
}

builder.queryField('events', (t) =>
  t.field({
    type: [Event],
    description: 'The raw log in position order, for audit. Page with `after` = the last position you saw.',
    complexity: (args) => ({ field: 1, multiplier: args.first ?? PAGE_SIZES.events.default }),
    args: {
      after: t.arg({ type: 'Position', description: 'Start after this position (default: the beginning).' }),
      first: t.arg.int({ description: `At most ${PAGE_SIZES.events.max}; default ${PAGE_SIZES.events.default}.` }),
      streamId: t.arg.id({ description: 'Only this stream.' }),
      types: t.arg.stringList({ description: `Only these event types (at most ${MAX_LIST_ARGUMENT}; an unknown name is BAD_USER_INPUT): ${knownEventTypes.join(', ')}.` }),
    },
    resolve: async (_root, args, ctx) =>
      ctx.services.store.readAll({
        after: args.after ?? 0,
        limit: pageSize(args.first, 'first', PAGE_SIZES.events.default, PAGE_SIZES.events.max),
        ...(args.streamId != null ? { streamId: String(args.streamId) } : {}),
        ...(args.types != null ? { types: eventTypes(cappedList(args.types, 'types')) } : {}),
      }),
  }),
);

builder.subscriptionType({
  description: 'Live events. With `after`, first every stored event after that position, then live: no gap, no duplicate, in order.',
  fields: (t) => ({
    threadEvents: t.field({
      type: ThreadEvent,
      description: "A thread's events after `after`, then live. Without `after`, live from now. Live, it also carries bots' drafts (BotDraft), which are never replayed.",
      args: {
        threadId: t.arg.id({ required: true, description: 'The thread (NOT_FOUND when there is none).' }),
        after: t.arg({ type: 'Position', description: 'Resume after this position: the last one you saw (default: live from now).' }),
      },
      subscribe: async (_root, args, ctx) => {
        const threadId = validate.uuid(String(args.threadId), 'threadId');
        if (!(await ctx.loaders.threads(threadId))) throw new NotFoundError(`No thread ${threadId}`, { threadId });
        const { feed, botDrafts } = ctx.services;
        const events = feed.subscribe(args.after ?? undefined, { streamId: streamOf.thread(threadId) });
        // Not `ctx` in this closure: it lives as long as the subscription, and would keep the request's context (its loaders and what they read) with it.
        events.sideValues = (listener) => botDrafts.watch(threadId, listener);
        // A live threadEvents subscription is what "has the thread open" means for presence.
        return heldWhileOpen(ctx, events, threadId);
      },
      resolve: (event) => event as never,
    }),
    events: t.field({
      type: Event,
      description: 'Every event after `after`, then live. Without `after`, live from now.',
      args: { after: t.arg({ type: 'Position', description: 'Resume after this position: the last one you saw (default: live from now).' }) },
      subscribe: (_root, args, ctx) => heldWhileOpen(ctx, ctx.services.feed.subscribe(args.after ?? undefined)),
      resolve: (event) => event,
    }),
  }),
});
