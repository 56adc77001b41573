/**
 * ReactionAdded: a user reacts to a message with an emoji, once per user,
 * emoji and message; at most MAX_DISTINCT_EMOJI distinct emoji per message.
 * Also what both reaction commands share: their input, facts and handler.
 */
import { NotFoundError, ValidationError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { MAX_DISTINCT_EMOJI, reactionEmoji } from '../input/emoji.ts';
import { validate } from '../input/limits.ts';
// Types only from the projections: they dispatch to the modules (index.ts), so a runtime import would be a cycle.
import type { MessageRow } from '../projections/messagesProjection.ts';
import { messagesByIds } from '../projections/messagesQueries.ts';
import { type ReactionFacts, reactionFacts } from '../projections/reactionsQueries.ts';
import { type Actor, type CommandDeps, metadataFor } from './commandDeps.ts';
import { defineEvent, newEvent } from './eventModule.ts';
import { assertMayWrite } from './permissions.ts';

export type ReactionAddedData = { readonly messageId: string; readonly threadId: string; readonly emoji: string };

export const reactionAdded = defineEvent<ReactionAddedData>()({
  type: 'ReactionAdded',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {
    reactions: (changes, { data, metadata, position }) => {
      if (metadata.actorId !== null) changes.add({ messageId: data.messageId, emoji: data.emoji, userId: metadata.actorId, position });
    },
    // Every event of a thread moves its position: threadEvents(after: thread.position) misses nothing.
    threads: (changes, { data, position }) => changes.change(data.threadId, { position }),
  },
});

/** addReaction's and removeReaction's input: `emoji` as sent (a Unicode emoji or a :shortcode:). */
export interface ReactionInput {
  readonly messageId: string;
  readonly emoji: string;
}

/** The message a reaction goes to, or NOT_FOUND: a deleted message takes no reactions and gives none back. */
export function reactedMessage(messageId: string, facts: ReactionFacts): { readonly threadId: string } {
  if (!facts.message || facts.message.deleted) throw new NotFoundError(`No message ${messageId}`, { messageId });
  return facts.message;
}

/** Pure: the ReactionAdded to append, or null when the user already reacted so (nothing changes, nothing is written). */
export function decideAddReaction(input: ReactionInput, facts: ReactionFacts, actor: Actor): AppendRequest | null {
  const messageId = validate.uuid(input.messageId, 'messageId');
  const emoji = reactionEmoji(input.emoji);
  const { threadId } = reactedMessage(messageId, facts);
  if (facts.reacted) return null;
  if (!facts.emojiUsed && facts.distinctEmoji >= MAX_DISTINCT_EMOJI) {
    throw new ValidationError(`A message takes at most ${MAX_DISTINCT_EMOJI} different emoji: react with one already there`, {
      field: 'emoji',
      rule: 'tooManyEmoji',
      max: MAX_DISTINCT_EMOJI,
    });
  }
  return {
    streamId: streamOf.thread(threadId),
    events: [newEvent(reactionAdded, { messageId, threadId, emoji })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: 'stream_exists',
  };
}

/** What both reaction mutations answer: the message (with its groups), and the position of the event, null when nothing changed. */
export interface ReactionResult {
  readonly message: MessageRow;
  readonly position: number | null;
}

type DecideReaction = (input: ReactionInput, facts: ReactionFacts, actor: Actor) => AppendRequest | null;

/**
 * Adds or removes one reaction. Two identical requests racing may both pass
 * the rule and both append: the read model keeps one row either way
 * (reactionsProjection.ts), so the only trace is a second event in the log.
 */
export async function react(deps: CommandDeps, actor: Actor, input: ReactionInput, decide: DecideReaction): Promise<ReactionResult> {
  // First, before any read: a flood costs one counter lookup per refusal and writes nothing.
  await deps.rateLimits.consume('reactionsPerUser', actor.userId);
  const messageId = validate.uuid(input.messageId, 'messageId');
  const emoji = reactionEmoji(input.emoji);
  const facts = await reactionFacts(deps.db, { messageId, emoji, userId: actor.userId });
  await assertMayWrite(deps, actor, facts.message ? { threadId: facts.message.threadId } : {});
  const request = decide(input, facts, actor);
  const appended = request ? await deps.store.append(request) : undefined;
  // Written in the append's transaction: this read sees it.
  const [message] = await messagesByIds(deps.db, [messageId]);
  if (!message) throw new NotFoundError(`No message ${messageId}`, { messageId });
  return { message, position: appended?.lastPosition ?? null };
}

export async function addReaction(deps: CommandDeps, actor: Actor, input: ReactionInput): Promise<ReactionResult> {
  return react(deps, actor, input, decideAddReaction);
}
