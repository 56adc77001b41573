/** BotInvited as GraphQL: the event type, and `inviteBot`. */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { orNotFound, Thread, User } from '../schema/refs.ts';
import { requireActor } from '../schema/viewer.ts';
import { botInvited, type BotInvitedData, inviteBot } from './botInvited.ts';
import type { Recorded } from './eventModule.ts';

type BotInvitedEvent = Recorded<'BotInvited', BotInvitedData>;

export const BotInvited = builder.objectRef<BotInvitedEvent>(botInvited.type).implement({
  description: "A bot was invited to a thread: it answers every message posted there, and greets the thread. `actor` invited it (the thread's creator, or a moderator or admin).",
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as BotInvitedEvent).type === botInvited.type,
  fields: (t) => ({
    threadId: t.id({ description: 'The thread.', resolve: (event) => event.data.threadId }),
    bot: t.field({
      type: User,
      description: 'The bot invited.',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.users(event.data.botId), 'user', event.data.botId),
    }),
  }),
});

const InviteBotInput = builder.inputType('InviteBotInput', {
  description: 'A bot to invite into a thread.',
  fields: (t) => ({
    threadId: t.id({ required: true, description: 'The thread (a UUID).' }),
    botId: t.id({ required: true, description: "The bot's user id (a UUID): one of `Query.bots`." }),
  }),
});

builder.mutationField('inviteBot', (t) =>
  t.field({
    type: Thread,
    description: [
      'Invites a bot into a thread, appending BotInvited (nothing when it is invited already): it answers every message posted there. Needs a token.',
      "The thread's creator, a moderator or an admin only (FORBIDDEN otherwise, and while suspended or in a locked thread);",
      'NOT_FOUND for an unknown thread, or a bot that is unknown or removed; BAD_USER_INPUT for ids that are not UUIDs. Counts toward the posts rate limit (THRDS_RATE_POSTS_PER_USER).',
    ].join(' '),
    args: { input: t.arg({ type: InviteBotInput, required: true, description: 'The thread and the bot.' }) },
    resolve: async (_root, { input }, ctx) => inviteBot(ctx.services, await requireActor(ctx), { threadId: String(input.threadId), botId: String(input.botId) }),
  }),
);
