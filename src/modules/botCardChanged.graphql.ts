/** BotCardChanged as GraphQL (changed by an operator, `thrds bot add`: no mutation). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { orNotFound, User } from '../schema/refs.ts';
import { botCardChanged, type BotCardChangedData } from './botCardChanged.ts';
import type { Recorded } from './eventModule.ts';

type BotCardChangedEvent = Recorded<'BotCardChanged', BotCardChangedData>;

export const BotCardChanged = builder.objectRef<BotCardChangedEvent>(botCardChanged.type).implement({
  description: "An operator gave a bot a new character card, or added a removed bot again (it is active again). `actor` is null (from the command line).",
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as BotCardChangedEvent).type === botCardChanged.type,
  fields: (t) => ({
    bot: t.field({
      type: User,
      description: 'The bot, as it is now.',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.users(event.data.userId), 'user', event.data.userId),
    }),
    displayName: t.string({ description: 'The display name this card gave it.', resolve: (event) => event.data.displayName }),
  }),
});
