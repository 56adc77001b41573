/** Bots (issue 15) as GraphQL: User.isBot and User.botProfile, BotProfile, Query.bots and Thread.bots. */
import { activeBots, botsByIds, botsInThread } from '../bots/botsQueries.ts';
import type { BotRow } from '../bots/types.ts';
import type { UserRow } from '../projections/usersProjection.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { createLoader, perContext } from './loader.ts';
import { Thread, User } from './refs.ts';

/** One batching loader per context for bots' rows (a page of messages by several bots costs one read). */
const bots = perContext((ctx: Context) => createLoader((ids) => botsByIds(ctx.services.db, ids)));

const BotProfile = builder.objectRef<BotRow>('BotProfile').implement({
  description: "What a bot's character card says about it (a Character Card V2, added by an operator with `thrds bot add`).",
  fields: (t) => ({
    description: t.string({ description: "The character's description, as the card has it ({{char}} and {{user}} left as written).", resolve: (bot) => bot.card.data.description }),
    tags: t.stringList({ description: "The card's tags, in its order.", resolve: (bot) => [...bot.card.data.tags] }),
    creatorNotes: t.string({ description: "The card author's notes for people using it (never shown to the model).", resolve: (bot) => bot.card.data.creator_notes }),
    greeting: t.string({ description: 'What the bot says when invited to a thread (the first of its greetings, {{char}} and {{user}} left as written).', resolve: (bot) => bot.card.data.first_mes }),
  }),
});

builder.objectFields(User, (t) => ({
  isBot: t.boolean({ description: 'True for a bot (added by an operator, answers in threads, cannot sign in); false for a person.', resolve: (user) => user.isBot }),
  botProfile: t.field({
    type: BotProfile,
    nullable: true,
    description: "A bot's profile from its character card; null for people.",
    resolve: (user, _args, ctx) => (user.isBot ? bots(ctx)(user.id) : null),
  }),
}));

/** Bots are added by an operator, one by one; still, no list a client can ask for is unbounded. */
export const MAX_LISTED_BOTS = 200;

builder.queryField('bots', (t) =>
  t.field({
    type: [User],
    description: `The bots that are active (not removed), by username, at most ${MAX_LISTED_BOTS}: for \`@\` completion and the invite menu.`,
    // Bots are few (an operator adds each one); priced like the other short user lists (TypingUpdate.users).
    complexity: { field: 1, multiplier: 10 },
    resolve: async (_root, _args, ctx) => (await activeBots(ctx.services.db, MAX_LISTED_BOTS)).map(asUser),
  }),
);

builder.objectField(Thread, 'bots', (t) =>
  t.field({
    type: [User],
    description: 'The active bots invited to the thread, by username (they answer every message posted in it). As it is now, also for `thread(asOf:)`.',
    complexity: { field: 1, multiplier: 10 },
    resolve: async (thread, _args, ctx) => (await botsInThread(ctx.services.db, thread.id)).map(asUser),
  }),
);

/** A bot's user row from its bots row (the same BotAdded wrote both): one read for the whole list. */
function asUser(bot: BotRow): UserRow {
  return { id: bot.id, username: bot.username, displayName: bot.displayName, registeredAt: bot.addedAt, position: bot.position, isBot: true };
}
