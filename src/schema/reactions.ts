/**
 * Reactions as GraphQL: `Message.reactions` and its ReactionGroup, and what
 * addReaction and removeReaction share (src/modules/reaction*.graphql.ts).
 * A page of messages reads its groups in one query and its reactors in one
 * more, per request: the batches live as long as the request's context.
 */
import { MAX_DISTINCT_EMOJI, REACTION_USERS } from '../input/emoji.ts';
import type { ReactionResult } from '../modules/reactionAdded.ts';
import { reactionGroupKey, type ReactionGroupRow, reactionGroups, reactionUsers } from '../projections/reactionsQueries.ts';
import type { Recorded } from '../modules/eventModule.ts';
import { builder } from './builder.ts';
import { pageSize } from './connection.ts';
import type { Context } from './context.ts';
import { Event } from './eventRef.ts';
import { createLoader, type Loader, perContext } from './loader.ts';
import { Node } from './node.ts';
import { Message, orNotFound, User } from './refs.ts';

interface ReactionReads {
  readonly groups: Loader<{ id: string; groups: ReactionGroupRow[] }>;
  /** By `first`: a request rarely asks for more than one size. */
  readonly users: Map<number, Loader<{ id: string; users: Map<string, string[]> }>>;
}

/** One set of batches per context (a request; fan-out makes one per event delivered). */
const reactionReads = perContext(
  (ctx): ReactionReads => ({
    groups: createLoader(async (ids) => {
      const viewer = await ctx.viewer();
      return [...(await reactionGroups(ctx.services.db, ids, viewer?.id ?? null))].map(([id, groups]) => ({ id, groups }));
    }),
    users: new Map(),
  }),
);

function usersLoader(ctx: Context, first: number): Loader<{ id: string; users: Map<string, string[]> }> {
  const { users } = reactionReads(ctx);
  let loader = users.get(first);
  if (!loader) {
    const { db } = ctx.services;
    loader = createLoader(async (ids) => {
      const byGroup = await reactionUsers(db, ids, first);
      return ids.map((id) => ({ id, users: byGroup }));
    });
    users.set(first, loader);
  }
  return loader;
}

export const ReactionGroup = builder.objectRef<ReactionGroupRow>('ReactionGroup').implement({
  description: 'The reactions to a message with one emoji.',
  fields: (t) => ({
    emoji: t.exposeString('emoji', { description: 'The emoji, as one fully-qualified Unicode emoji (a :shortcode: sent is stored as the emoji it names).' }),
    count: t.exposeInt('count', { description: 'How many people reacted with it.' }),
    reactedByMe: t.boolean({
      description: "The signed-in user is among them. False without a token, and in subscriptions (they have no viewer: compare the event's `user`).",
      resolve: (group) => group.reactedByViewer,
    }),
    users: t.field({
      type: [User],
      description: 'Who reacted, in the order they did.',
      args: {
        first: t.arg.int({
          defaultValue: REACTION_USERS.default,
          description: `How many, from the first to react: at most ${REACTION_USERS.max} (BAD_USER_INPUT otherwise).`,
        }),
      },
      complexity: (args) => ({ field: 1, multiplier: args.first ?? REACTION_USERS.default }),
      resolve: async (group, args, ctx) => {
        const first = pageSize(args.first, 'first', REACTION_USERS.default, REACTION_USERS.max);
        const loaded = await usersLoader(ctx, first)(group.messageId);
        const ids = loaded?.users.get(reactionGroupKey(group.messageId, group.emoji)) ?? [];
        return Promise.all(ids.map(async (id) => orNotFound(await ctx.loaders.users(id), 'user', id)));
      },
    }),
  }),
});

/** The groups a message is priced at in the complexity limit (see `reactions`). */
const PRICED_GROUPS = 6;

builder.objectField(Message, 'reactions', (t) =>
  t.field({
    type: [ReactionGroup],
    description: `Reactions, one group per emoji, in the order each emoji was first used (at most ${MAX_DISTINCT_EMOJI}). Empty once deleted.`,
    // Priced at a busy message's groups, not the 20-emoji worst case: the groups of a whole page are one
    // batched read (and their users one more), so the worst case costs response size, which `users(first:)`
    // bounds. At 20, a page of 50 messages asking for `users` (default 10) was refused as too complex.
    complexity: { field: 1, multiplier: PRICED_GROUPS },
    // A tombstone (MessageDeleted.message, time travel) has none: no read for it.
    resolve: async (message, _args, ctx) => (message.deletedAt !== null ? [] : ((await reactionReads(ctx).groups(message.id))?.groups ?? [])),
  }),
);

export const ReactionPayload = builder.objectRef<ReactionResult>('ReactionPayload').implement({
  description: 'The message reacted to, as it is now.',
  fields: (t) => ({
    message: t.field({ type: Message, description: 'The message, with its reactions after the change.', resolve: (p) => p.message }),
    position: t.field({
      type: 'Position',
      nullable: true,
      description: 'Log position of the event appended; null when nothing changed (the reaction was already there, or already gone).',
      resolve: (p) => p.position,
    }),
  }),
});

/** The two mutations' inputs: the same fields, each input named for its mutation. */
export function reactionInput(name: string, description: string) {
  return builder.inputType(name, {
    description,
    fields: (t) => ({
      messageId: t.id({ required: true, description: 'The message.' }),
      emoji: t.string({
        required: true,
        description: 'One fully-qualified Unicode emoji (skin tones and ZWJ sequences allowed), or a :shortcode: naming one (`:+1:`, `:tada:`); BAD_USER_INPUT otherwise.',
      }),
    }),
  });
}

/** What ReactionAdded and ReactionRemoved hold: the message, the emoji and who. */
type ReactionEvent = Recorded<string, { readonly messageId: string; readonly emoji: string }>;

/** The ReactionAdded / ReactionRemoved object type: the same fields, each described for its event. */
export function reactionEventType(
  type: 'ReactionAdded' | 'ReactionRemoved',
  words: { readonly description: string; readonly message: string; readonly emoji: string; readonly user: string },
) {
  return builder.objectRef<ReactionEvent>(type).implement({
    description: words.description,
    interfaces: [Event, Node],
    isTypeOf: (event) => (event as ReactionEvent).type === type,
    fields: (t) => ({
      message: t.field({
        type: Message,
        description: words.message,
        resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.messages(event.data.messageId), 'message', event.data.messageId),
      }),
      emoji: t.string({ description: words.emoji, resolve: (event) => event.data.emoji }),
      user: t.field({
        type: User,
        description: words.user,
        resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.users(event.metadata.actorId ?? ''), 'user', event.metadata.actorId ?? ''),
      }),
    }),
  });
}
