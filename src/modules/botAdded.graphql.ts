/** BotAdded as GraphQL (bots are added by an operator, `thrds bot add`: no mutation). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { orNotFound, User } from '../schema/refs.ts';
import { botAdded, type BotAddedData } from './botAdded.ts';
import type { Recorded } from './eventModule.ts';

type BotAddedEvent = Recorded<'BotAdded', BotAddedData>;

export const BotAdded = builder.objectRef<BotAddedEvent>(botAdded.type).implement({
  description: 'An operator added a bot: a user that answers in threads, from a character card. `actor` is null (added from the command line).',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as BotAddedEvent).type === botAdded.type,
  fields: (t) => ({
    bot: t.field({
      type: User,
      description: 'The bot, as it is now.',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.users(event.data.userId), 'user', event.data.userId),
    }),
  }),
});
