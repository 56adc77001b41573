/** ReactionRemoved: its rule and its steps in the reactions and threads read models, as given/when/then. */
import { describe, expect, it } from 'vitest';
import { decideRemoveReaction } from '../../src/modules/reactionRemoved.ts';
import { evolveReactions } from '../../src/projections/reactionsProjection.ts';
import type { ReactionFacts } from '../../src/projections/reactionsQueries.ts';
import { evolveThreads } from '../../src/projections/threadsProjection.ts';
import { ana, bob, recorded, threadId } from './given.ts';

const messageId = 'e0000000-0000-4000-8000-00000000000e';
const reactedByAna: ReactionFacts = { message: { threadId, deleted: false }, distinctEmoji: 1, emojiUsed: true, reacted: true };

describe('decideRemoveReaction', () => {
  it('given ana reacted, when she takes it back, then one ReactionRemoved goes to the thread', () => {
    expect(decideRemoveReaction({ messageId, emoji: ':tada:' }, reactedByAna, ana)).toMatchObject({
      streamId: `thread-${threadId}`,
      events: [{ type: 'ReactionRemoved', data: { messageId, threadId, emoji: '🎉' } }],
      metadata: { actorId: ana.userId },
    });
  });

  it('given bob has no such reaction (even if ana has), when he removes it, then nothing is appended', () => {
    expect(decideRemoveReaction({ messageId, emoji: '🎉' }, { ...reactedByAna, reacted: false }, bob)).toBeNull();
  });

  it('given a deleted or unknown message, when removing, then it is NOT_FOUND; given a non-emoji, BAD_USER_INPUT', () => {
    expect(() => decideRemoveReaction({ messageId, emoji: '🎉' }, { ...reactedByAna, message: { threadId, deleted: true } }, ana)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decideRemoveReaction({ messageId, emoji: '🎉' }, { ...reactedByAna, message: null }, ana)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decideRemoveReaction({ messageId, emoji: ':nope_nope:' }, reactedByAna, ana)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('the reactions read model, evolved by ReactionRemoved', () => {
  it('given an add then a remove by the same user, then the changes keep that order, keyed by the actor', () => {
    const added = recorded('ReactionAdded', { messageId, threadId, emoji: '🎉' }, { actorId: bob.userId });
    const removed = recorded('ReactionRemoved', { messageId, threadId, emoji: '🎉' }, { actorId: bob.userId });
    expect(evolveReactions([added, removed]).changes).toEqual([
      { kind: 'add', row: { messageId, emoji: '🎉', userId: bob.userId, position: added.position } },
      { kind: 'remove', key: { messageId, emoji: '🎉', userId: bob.userId } },
    ]);
  });

  it('moves the thread to its position', () => {
    const removed = recorded('ReactionRemoved', { messageId, threadId, emoji: '🎉' });
    expect(evolveThreads([removed]).patched.get(threadId)?.position).toBe(removed.position);
  });
});
