/** ReactionRemoved: a user takes back their reaction. */
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { reactionEmoji } from '../input/emoji.ts';
import { validate } from '../input/limits.ts';
import type { ReactionFacts } from '../projections/reactionsQueries.ts';
import { type Actor, type CommandDeps, metadataFor } from './commandDeps.ts';
import { defineEvent, newEvent } from './eventModule.ts';
import { react, reactedMessage, type ReactionInput, type ReactionResult } from './reactionAdded.ts';

export type ReactionRemovedData = { readonly messageId: string; readonly threadId: string; readonly emoji: string };

export const reactionRemoved = defineEvent<ReactionRemovedData>()({
  type: 'ReactionRemoved',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {
    reactions: (changes, { data, metadata }) => {
      if (metadata.actorId !== null) changes.remove({ messageId: data.messageId, emoji: data.emoji, userId: metadata.actorId });
    },
    threads: (changes, { data, position }) => changes.change(data.threadId, { position }),
  },
});

/** Pure: the ReactionRemoved to append, or null when the user has no such reaction (nothing changes, nothing is written). */
export function decideRemoveReaction(input: ReactionInput, facts: ReactionFacts, actor: Actor): AppendRequest | null {
  const messageId = validate.uuid(input.messageId, 'messageId');
  const emoji = reactionEmoji(input.emoji);
  const { threadId } = reactedMessage(messageId, facts);
  if (!facts.reacted) return null;
  return {
    streamId: streamOf.thread(threadId),
    events: [newEvent(reactionRemoved, { messageId, threadId, emoji })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: 'stream_exists',
  };
}

export async function removeReaction(deps: CommandDeps, actor: Actor, input: ReactionInput): Promise<ReactionResult> {
  return react(deps, actor, input, decideRemoveReaction);
}
