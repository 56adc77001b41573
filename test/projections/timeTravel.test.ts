/**
 * threadAsOf folds a thread from its own stream up to a position: what the
 * thread looked like then, regardless of what the read model says now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadAsOf } from '../../src/projections/timeTravel.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { type ChatLog, createThreads, postOne, registerUsers } from '../cli/support/chatLog.ts';

const kinds = await storeKinds();

describe.each(kinds)('time travel on %s', (kind) => {
  let t: TestThrds;
  let log: ChatLog;
  let created: number;
  const posted: number[] = [];
  beforeAll(async () => {
    t = await openTestThrds(kind);
    const userIds = await registerUsers(t.store, 2);
    const threadIds = await createThreads(t.store, userIds, 2);
    log = { userIds, threadIds };
    created = 3; // users at 1-2, the first thread at 3
    // Messages alternate between the two threads; every third is a stored v1 event.
    for (let n = 0; n < 12; n += 1) posted.push((await postOne(t.store, log, n, n % 3 === 0)).lastPosition);
  });
  afterAll(async () => {
    await t.dispose();
  });

  const first = () => log.threadIds[0]!;

  it('has no thread before it was created', async () => {
    expect(await threadAsOf(t.store, first(), created - 1)).toBeNull();
    expect(await threadAsOf(t.store, 'no-such-thread', 1000)).toBeNull();
  });

  it('shows the thread as it stood at each position: its messages so far, count, activity and latest position', async () => {
    expect(await threadAsOf(t.store, first(), created)).toMatchObject({ thread: { id: first(), messageCount: 0, position: created }, messages: [] });
    // The first thread got messages 0, 2, 4, …; after the fifth posted event it had three.
    const asOf = posted[4]!;
    const past = await threadAsOf(t.store, first(), asOf);
    expect(past!.thread).toMatchObject({ messageCount: 3, position: posted[4] });
    expect(past!.messages.map((m) => m.position)).toEqual([posted[0], posted[2], posted[4]]);
    expect(past!.messages.map((m) => m.body)).toEqual(['message 0', 'message 2', 'message 4'].map((b) => expect.stringContaining(b)));
    expect(past!.messages.every((m) => m.format === 'plain')).toBe(true);
    expect(await threadAsOf(t.store, first(), asOf + 1)).toEqual(past);
  });

  it('at the head equals the read model, and ignores later changes to the read model', async () => {
    const head = (await t.store.head()).position;
    const now = await threadAsOf(t.store, first(), head);
    const [row] = await t.db.query<{ message_count: number; position: number }>('SELECT message_count, position FROM threads WHERE id = ?', [first()]);
    expect(now!.thread.messageCount).toBe(Number(row!.message_count));
    expect(now!.thread.position).toBe(Number(row!.position));
    const messages = await t.db.query<{ id: string }>('SELECT id FROM messages WHERE thread_id = ? ORDER BY position', [first()]);
    expect(now!.messages.map((m) => m.id)).toEqual(messages.map((m) => m.id));

    await t.db.execute('DELETE FROM messages WHERE thread_id = ?', [first()]);
    expect(await threadAsOf(t.store, first(), head)).toEqual(now);
  });
});
