/**
 * The reactions read model on each store: what the event steps write
 * (duplicates from racing requests tolerated, order kept within a run),
 * the reads the API makes of it, clearing a deleted message's reactions,
 * and a rebuild that folds the same log to the same rows.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/events/types.ts';
import { streamOf } from '../../src/events/types.ts';
import { ReactionChanges, reactionStatements, reactionsProjection } from '../../src/projections/reactionsProjection.ts';
import { reactionFacts, reactionGroupKey, reactionGroups, reactionUsers } from '../../src/projections/reactionsQueries.ts';
import { rebuildProjections } from '../../src/projections/rebuild.ts';
import { tableRows } from '../cli/support/chatLog.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';

const [ana, bob, cyd] = [randomUUID(), randomUUID(), randomUUID()];

describe.each(await storeKinds())('the reactions read model on %s', (kind) => {
  let t: TestThrds;
  const threadId = randomUUID();

  const append = (actorId: string | null, ...events: NewEvent[]) =>
    t.store.append({ streamId: streamOf.thread(threadId), events, metadata: { actorId, correlationId: 'test', causationId: null } });
  const added = (messageId: string, emoji: string): NewEvent => ({ type: 'ReactionAdded', data: { messageId, threadId, emoji } });
  const removed = (messageId: string, emoji: string): NewEvent => ({ type: 'ReactionRemoved', data: { messageId, threadId, emoji } });
  const rowsOf = async (messageId: string) =>
    (await t.db.query<{ emoji: string; user_id: string; position: number | string }>('SELECT emoji, user_id, position FROM reactions WHERE message_id = ? ORDER BY position', [messageId])).map(
      (r) => [r.emoji, r.user_id, Number(r.position)] as const,
    );
  const newMessage = async () => {
    const messageId = randomUUID();
    // Stored at version 1 (no format, no erasable content): the reactions model needs only the row.
    await append(ana!, { type: 'MessagePosted', schemaVersion: 1, data: { messageId, threadId, body: 'react to me', replyToId: null } });
    return messageId;
  };

  beforeAll(async () => {
    t = await openTestThrds(kind);
    await t.store.append({
      streamId: streamOf.thread(threadId),
      events: [{ type: 'ThreadCreated', data: { threadId, title: 'Reactions' } }],
      metadata: { actorId: ana!, correlationId: 'test', causationId: null },
      expectedVersion: 'no_stream',
    });
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('keeps one row, at the first position, when one reaction is added twice (as two racing requests can), in two appends or in one', async () => {
    const messageId = await newMessage();
    const first = await append(ana!, added(messageId, '🎉'));
    await append(ana!, added(messageId, '🎉'));
    const both = await append(bob!, added(messageId, '👍'), added(messageId, '👍'));
    expect(await rowsOf(messageId)).toEqual([
      ['🎉', ana, first.lastPosition],
      ['👍', bob, both.firstPosition],
    ]);
  });

  it('changes nothing when a reaction that is not there is removed, and applies a remove and a re-add in their order', async () => {
    const messageId = await newMessage();
    await append(ana!, added(messageId, '🎉'));
    await append(bob!, removed(messageId, '🎉'), removed(messageId, '🎉'));
    const again = await append(ana!, removed(messageId, '🎉'), added(messageId, '🎉'), removed(messageId, '👍'));
    expect(await rowsOf(messageId)).toEqual([['🎉', ana, again.firstPosition + 1]]);
    const gone = await append(ana!, added(messageId, '👍'), removed(messageId, '👍'));
    expect(gone.events).toHaveLength(2);
    expect(await rowsOf(messageId)).toEqual([['🎉', ana, again.firstPosition + 1]]);
  });

  it('keeps emoji that differ only by skin tone or by a byte apart', async () => {
    const messageId = await newMessage();
    await append(ana!, added(messageId, '👍'), added(messageId, '👍🏽'), added(messageId, '👍🏿'));
    expect((await rowsOf(messageId)).map(([emoji]) => emoji)).toEqual(['👍', '👍🏽', '👍🏿']);
  });

  it('answers the facts of a reaction: the message and its thread, distinct emoji, whether the emoji and this user’s reaction are there', async () => {
    const messageId = await newMessage();
    await append(ana!, added(messageId, '🎉'), added(messageId, '👍'));
    await append(bob!, added(messageId, '🎉'));
    expect(await reactionFacts(t.db, { messageId, emoji: '🎉', userId: bob! })).toEqual({ message: { threadId, deleted: false }, distinctEmoji: 2, emojiUsed: true, reacted: true });
    expect(await reactionFacts(t.db, { messageId, emoji: '👍', userId: bob! })).toMatchObject({ emojiUsed: true, reacted: false });
    expect(await reactionFacts(t.db, { messageId, emoji: '🚀', userId: bob! })).toMatchObject({ emojiUsed: false, reacted: false });
    expect(await reactionFacts(t.db, { messageId: randomUUID(), emoji: '🎉', userId: bob! })).toEqual({ message: null, distinctEmoji: 0, emojiUsed: false, reacted: false });
  });

  it('reads groups in order of first use with counts and the viewer’s own, and reactors in the order they reacted', async () => {
    const [one, two, quiet] = [await newMessage(), await newMessage(), await newMessage()];
    await append(bob!, added(one, '👍'));
    await append(ana!, added(one, '🎉'));
    await append(cyd!, added(one, '👍'));
    await append(ana!, added(one, '👍'));
    await append(cyd!, added(two, '🚀'));
    const groups = await reactionGroups(t.db, [one, two, quiet], ana!);
    expect(groups.get(one)?.map(({ emoji, count, reactedByViewer }) => ({ emoji, count, reactedByViewer }))).toEqual([
      { emoji: '👍', count: 3, reactedByViewer: true },
      { emoji: '🎉', count: 1, reactedByViewer: true },
    ]);
    expect(groups.get(two)?.map((g) => [g.emoji, g.reactedByViewer])).toEqual([['🚀', false]]);
    expect(groups.get(quiet)).toEqual([]);
    expect((await reactionGroups(t.db, [one], null)).get(one)?.every((g) => !g.reactedByViewer)).toBe(true);
    const users = await reactionUsers(t.db, [one, two], 2);
    expect(users.get(reactionGroupKey(one, '👍'))).toEqual([bob, cyd]);
    expect(users.get(reactionGroupKey(one, '🎉'))).toEqual([ana]);
    expect(users.get(reactionGroupKey(two, '🚀'))).toEqual([cyd]);
  });

  // Runs before the tests below: they write to the table directly, not through the log, and a rebuild would undo that.
  it('rebuilds to the same rows from the log, in one page or in pages that split the duplicates apart', async () => {
    const before = await tableRows(t.db, 'reactions', 'message_id, emoji, user_id');
    expect(before.length).toBeGreaterThan(5);
    for (const pageSize of [25_000, 3]) {
      await rebuildProjections(t.db, { projections: [reactionsProjection], pageSize, swapWithin: 0 });
      expect(await tableRows(t.db, 'reactions', 'message_id, emoji, user_id')).toEqual(before);
    }
  });

  it('shows no groups for a deleted message, and clears a message’s reactions (MessageDeleted) without touching another’s', async () => {
    const [deleted, kept] = [await newMessage(), await newMessage()];
    await append(ana!, added(deleted, '🎉'), added(kept, '🎉'));
    await t.db.execute('UPDATE messages SET deleted_at = ? WHERE id = ?', [Date.now(), deleted]);
    expect((await reactionGroups(t.db, [deleted], ana!)).get(deleted)).toEqual([]);
    const changes = new ReactionChanges();
    changes.clear(deleted);
    await t.db.transaction((tx) => tx.batch(reactionStatements(changes.changes, 'reactions')));
    expect(await rowsOf(deleted)).toEqual([]);
    expect(await rowsOf(kept)).toHaveLength(1);
  });

  it('writes long runs in chunks: 450 reactions in one append land as 450 rows', async () => {
    const messageId = await newMessage();
    const users = Array.from({ length: 450 }, () => randomUUID());
    const changes = new ReactionChanges();
    users.forEach((userId, i) => changes.add({ messageId, emoji: '🎉', userId, position: 1_000_000 + i }));
    const statements = reactionStatements(changes.changes, 'reactions');
    expect(statements).toHaveLength(3);
    await t.db.transaction((tx) => tx.batch(statements));
    expect(await rowsOf(messageId)).toHaveLength(450);
    const removals = new ReactionChanges();
    for (const userId of users) removals.remove({ messageId, emoji: '🎉', userId });
    await t.db.transaction((tx) => tx.batch(reactionStatements(removals.changes, 'reactions')));
    expect(await rowsOf(messageId)).toEqual([]);
  });

});
