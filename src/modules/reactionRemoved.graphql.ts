/** ReactionRemoved as GraphQL: the event type, and `removeReaction`. */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { reactionInput, ReactionPayload } from '../schema/reactions.ts';
import { Message, orNotFound, User } from '../schema/refs.ts';
import { requireActor } from '../schema/viewer.ts';
import type { Recorded } from './eventModule.ts';
import { reactionRemoved, type ReactionRemovedData, removeReaction } from './reactionRemoved.ts';

type ReactionRemovedEvent = Recorded<'ReactionRemoved', ReactionRemovedData>;

export const ReactionRemoved = builder.objectRef<ReactionRemovedEvent>(reactionRemoved.type).implement({
  description: 'A user took back a reaction.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as ReactionRemovedEvent).type === reactionRemoved.type,
  fields: (t) => ({
    message: t.field({
      type: Message,
      description: 'The message, with its reactions as they are now (without this one, unless given again since).',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.messages(event.data.messageId), 'message', event.data.messageId),
    }),
    emoji: t.string({ description: 'The emoji taken back.', resolve: (event) => event.data.emoji }),
    user: t.field({
      type: User,
      description: 'Who took it back.',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.users(event.metadata.actorId ?? ''), 'user', event.metadata.actorId ?? ''),
    }),
  }),
});

const RemoveReactionInput = reactionInput('RemoveReactionInput', 'A reaction of yours to take back.');

builder.mutationField('removeReaction', (t) =>
  t.field({
    type: ReactionPayload,
    description:
      'Takes back your reaction with an emoji (when there is none: nothing changes, `position` is null). Needs a token; NOT_FOUND for an unknown or deleted message; BAD_USER_INPUT for what is not an emoji; FORBIDDEN in a locked thread or while suspended. Counts toward the posting rate limit.',
    args: { input: t.arg({ type: RemoveReactionInput, required: true, description: 'The message and the emoji.' }) },
    resolve: async (_root, { input }, ctx) => removeReaction(ctx.services, await requireActor(ctx), { messageId: String(input.messageId), emoji: input.emoji }),
  }),
);
