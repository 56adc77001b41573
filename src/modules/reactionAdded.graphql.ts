/** ReactionAdded as GraphQL: the event type, and `addReaction`. */
import { builder } from '../schema/builder.ts';
import { reactionEventType, reactionInput, ReactionPayload } from '../schema/reactions.ts';
import { requireActor } from '../schema/viewer.ts';
import { addReaction, reactionAdded } from './reactionAdded.ts';

export const ReactionAdded = reactionEventType(reactionAdded.type, {
  description: 'A user reacted to a message.',
  message: 'The message, with its reactions as they are now (this one included, unless taken back since).',
  emoji: 'The emoji reacted with.',
  user: 'Who reacted.',
});

const AddReactionInput = reactionInput('AddReactionInput', 'A reaction to add.');

builder.mutationField('addReaction', (t) =>
  t.field({
    type: ReactionPayload,
    description:
      'Reacts to a message with an emoji, once per emoji (again: nothing changes, `position` is null). Needs a token; NOT_FOUND for an unknown or deleted message; BAD_USER_INPUT for what is not an emoji, or for a 21st different emoji on a message; FORBIDDEN in a locked thread or while suspended. Counts toward the reactions rate limit.',
    args: { input: t.arg({ type: AddReactionInput, required: true, description: 'The message and the emoji.' }) },
    resolve: async (_root, { input }, ctx) => addReaction(ctx.services, await requireActor(ctx), { messageId: String(input.messageId), emoji: input.emoji }),
  }),
);
