/** ReactionAdded: its rules and its steps in the reactions and threads read models, as given/when/then. */
import { describe, expect, it } from 'vitest';
import { decideAddReaction } from '../../src/modules/reactionAdded.ts';
import { evolveReactions } from '../../src/projections/reactionsProjection.ts';
import type { ReactionFacts } from '../../src/projections/reactionsQueries.ts';
import { evolveThreads } from '../../src/projections/threadsProjection.ts';
import { ana, bob, recorded, threadId } from './given.ts';

const messageId = 'e0000000-0000-4000-8000-00000000000e';
const aMessage = (facts: Partial<ReactionFacts> = {}): ReactionFacts => ({
  message: { threadId, deleted: false },
  distinctEmoji: 0,
  emojiUsed: false,
  reacted: false,
  ...facts,
});

describe('decideAddReaction', () => {
  it('given a message, when ana reacts, then one ReactionAdded goes to its thread, expecting the stream to exist', () => {
    expect(decideAddReaction({ messageId, emoji: '🎉' }, aMessage(), ana)).toMatchObject({
      streamId: `thread-${threadId}`,
      expectedVersion: 'stream_exists',
      events: [{ type: 'ReactionAdded', schemaVersion: 1, data: { messageId, threadId, emoji: '🎉' } }],
      metadata: { actorId: ana.userId },
    });
  });

  it('given a shortcode, when reacting, then the event holds the Unicode emoji it names', () => {
    expect(decideAddReaction({ messageId, emoji: ':+1:' }, aMessage(), ana)?.events[0]?.data).toMatchObject({ emoji: '👍' });
  });

  it('given ana already reacted with that emoji, when she reacts again, then nothing is appended', () => {
    expect(decideAddReaction({ messageId, emoji: '🎉' }, aMessage({ reacted: true, emojiUsed: true, distinctEmoji: 1 }), ana)).toBeNull();
  });

  it('given no such message, or a deleted one, when reacting, then it is NOT_FOUND', () => {
    const notFound = expect.objectContaining({ code: 'NOT_FOUND' });
    expect(() => decideAddReaction({ messageId, emoji: '🎉' }, aMessage({ message: null }), ana)).toThrow(notFound);
    expect(() => decideAddReaction({ messageId, emoji: '🎉' }, aMessage({ message: { threadId, deleted: true } }), ana)).toThrow(notFound);
  });

  it('given a message with 20 different emoji, when a 21st is added, then it is BAD_USER_INPUT; one already there is still fine', () => {
    const full = aMessage({ distinctEmoji: 20 });
    expect(() => decideAddReaction({ messageId, emoji: '🎉' }, full, bob)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: expect.objectContaining({ rule: 'tooManyEmoji' }) }));
    expect(decideAddReaction({ messageId, emoji: '🎉' }, { ...full, emojiUsed: true }, bob)).not.toBeNull();
    expect(decideAddReaction({ messageId, emoji: '🎉' }, aMessage({ distinctEmoji: 19 }), bob)).not.toBeNull();
  });

  it('given input that is not an emoji or not an id, when reacting, then it is BAD_USER_INPUT before the message is looked at', () => {
    const bad = expect.objectContaining({ code: 'BAD_USER_INPUT' });
    expect(() => decideAddReaction({ messageId, emoji: 'yes' }, aMessage({ message: null }), ana)).toThrow(bad);
    expect(() => decideAddReaction({ messageId: 'nope', emoji: '🎉' }, aMessage({ message: null }), ana)).toThrow(bad);
  });
});

describe('the reactions read model, evolved by ReactionAdded', () => {
  it('given reactions by ana and bob, then each is a row of its user, emoji and position, in order', () => {
    const first = recorded('ReactionAdded', { messageId, threadId, emoji: '🎉' }, { actorId: ana.userId });
    const second = recorded('ReactionAdded', { messageId, threadId, emoji: '🎉' }, { actorId: bob.userId });
    expect(evolveReactions([first, second]).changes).toEqual([
      { kind: 'add', row: { messageId, emoji: '🎉', userId: ana.userId, position: first.position } },
      { kind: 'add', row: { messageId, emoji: '🎉', userId: bob.userId, position: second.position } },
    ]);
  });

  it('moves the thread to the position of the reaction, and adds no message to it', () => {
    const reacted = recorded('ReactionAdded', { messageId, threadId, emoji: '🎉' });
    expect(evolveThreads([reacted]).patched.get(threadId)).toEqual({ position: reacted.position, addedMessages: 0 });
  });
});
