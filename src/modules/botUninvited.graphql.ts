/** BotUninvited as GraphQL: the event type, and `removeBot` (which uninvites a bot from a thread). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { orNotFound, Thread, User } from '../schema/refs.ts';
import { requireActor } from '../schema/viewer.ts';
import { botUninvited, type BotUninvitedData, uninviteBot } from './botUninvited.ts';
import type { Recorded } from './eventModule.ts';

type BotUninvitedEvent = Recorded<'BotUninvited', BotUninvitedData>;

export const BotUninvited = builder.objectRef<BotUninvitedEvent>(botUninvited.type).implement({
  description: "A bot was removed from a thread: it answers there only when mentioned or replied to. `actor` removed it (the thread's creator, or a moderator or admin).",
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as BotUninvitedEvent).type === botUninvited.type,
  fields: (t) => ({
    threadId: t.id({ description: 'The thread.', resolve: (event) => event.data.threadId }),
    bot: t.field({
      type: User,
      description: 'The bot removed from the thread.',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.users(event.data.botId), 'user', event.data.botId),
    }),
  }),
});

const RemoveBotInput = builder.inputType('RemoveBotInput', {
  description: 'A bot to remove from a thread.',
  fields: (t) => ({
    threadId: t.id({ required: true, description: 'The thread (a UUID).' }),
    botId: t.id({ required: true, description: "The bot's user id (a UUID): one of the thread's `bots`." }),
  }),
});

builder.mutationField('removeBot', (t) =>
  t.field({
    type: Thread,
    description: [
      'Removes a bot from a thread, appending BotUninvited (nothing when it is not invited): it no longer answers every message there. Needs a token.',
      "The thread's creator, a moderator or an admin only (FORBIDDEN otherwise, and while suspended or in a locked thread);",
      'NOT_FOUND for an unknown thread or bot; BAD_USER_INPUT for ids that are not UUIDs. Counts toward the posts rate limit (THRDS_RATE_POSTS_PER_USER).',
    ].join(' '),
    args: { input: t.arg({ type: RemoveBotInput, required: true, description: 'The thread and the bot.' }) },
    resolve: async (_root, { input }, ctx) => uninviteBot(ctx.services, await requireActor(ctx), { threadId: String(input.threadId), botId: String(input.botId) }),
  }),
);
