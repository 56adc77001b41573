/** ReactionAdded as GraphQL: the event type, and `addReaction`. */
import { builder } from '../schema/builder.ts';
import { Event } from '../schema/eventRef.ts';
import { Node } from '../schema/node.ts';
import { reactionInput, ReactionPayload } from '../schema/reactions.ts';
import { Message, orNotFound, User } from '../schema/refs.ts';
import { requireActor } from '../schema/viewer.ts';
import type { Recorded } from './eventModule.ts';
import { addReaction, reactionAdded, type ReactionAddedData } from './reactionAdded.ts';

type ReactionAddedEvent = Recorded<'ReactionAdded', ReactionAddedData>;

export const ReactionAdded = builder.objectRef<ReactionAddedEvent>(reactionAdded.type).implement({
  description: 'A user reacted to a message.',
  interfaces: [Event, Node],
  isTypeOf: (event) => (event as ReactionAddedEvent).type === reactionAdded.type,
  fields: (t) => ({
    message: t.field({
      type: Message,
      description: 'The message, with its reactions as they are now (this one included, unless taken back since).',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.messages(event.data.messageId), 'message', event.data.messageId),
    }),
    emoji: t.string({ description: 'The emoji reacted with.', resolve: (event) => event.data.emoji }),
    user: t.field({
      type: User,
      description: 'Who reacted.',
      resolve: async (event, _args, ctx) => orNotFound(await ctx.loaders.users(event.metadata.actorId ?? ''), 'user', event.metadata.actorId ?? ''),
    }),
  }),
});

const AddReactionInput = reactionInput('AddReactionInput', 'A reaction to add.');

builder.mutationField('addReaction', (t) =>
  t.field({
    type: ReactionPayload,
    description:
      'Reacts to a message with an emoji, once per emoji (again: nothing changes, `position` is null). Needs a token; NOT_FOUND for an unknown or deleted message; BAD_USER_INPUT for what is not an emoji, or for a 21st different emoji on a message; FORBIDDEN in a locked thread or while suspended. Counts toward the posting rate limit.',
    args: { input: t.arg({ type: AddReactionInput, required: true, description: 'The message and the emoji.' }) },
    resolve: async (_root, { input }, ctx) => addReaction(ctx.services, await requireActor(ctx), { messageId: String(input.messageId), emoji: input.emoji }),
  }),
);
