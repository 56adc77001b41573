/** ReactionRemoved as GraphQL: the event type, and `removeReaction`. */
import { builder } from '../schema/builder.ts';
import { reactionEventType, reactionInput, ReactionPayload } from '../schema/reactions.ts';
import { requireActor } from '../schema/viewer.ts';
import { reactionRemoved, removeReaction } from './reactionRemoved.ts';

export const ReactionRemoved = reactionEventType(reactionRemoved.type, {
  description: 'A user took back a reaction.',
  message: 'The message, with its reactions as they are now (without this one, unless given again since).',
  emoji: 'The emoji taken back.',
  user: 'Who took it back.',
});

const RemoveReactionInput = reactionInput('RemoveReactionInput', 'A reaction of yours to take back.');

builder.mutationField('removeReaction', (t) =>
  t.field({
    type: ReactionPayload,
    description:
      'Takes back your reaction with an emoji (when there is none: nothing changes, `position` is null). Needs a token; NOT_FOUND for an unknown or deleted message; BAD_USER_INPUT for what is not an emoji; FORBIDDEN in a locked thread or while suspended. Counts toward the reactions rate limit.',
    args: { input: t.arg({ type: RemoveReactionInput, required: true, description: 'The message and the emoji.' }) },
    resolve: async (_root, { input }, ctx) => removeReaction(ctx.services, await requireActor(ctx), { messageId: String(input.messageId), emoji: input.emoji }),
  }),
);
