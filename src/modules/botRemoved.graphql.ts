/** BotRemoved as GraphQL (removed by an operator, `thrds bot remove`: the `removeBot` mutation uninvites, see botUninvited.graphql.ts). */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { orNotFound, User } from '../schema/refs.ts';
import { botRemoved, type BotRemovedData } from './botRemoved.ts';
import type { Recorded } from './eventModule.ts';

type BotRemovedEvent = Recorded<'BotRemoved', BotRemovedData>;

export const BotRemoved = builder.objectRef<BotRemovedEvent>(botRemoved.type).implement({
  description: 'An operator retired a bot: it answers nothing and cannot be invited; its messages stay. `actor` is null (from the command line).',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as BotRemovedEvent).type === botRemoved.type,
  fields: (t) => ({
    bot: t.field({
      type: User,
      description: 'The bot (its user stays: its messages keep their author).',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.users(event.data.userId), 'user', event.data.userId),
    }),
  }),
});
