/** Read models are a pure function of the log: drop them, replay, get the same tables. */
import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections } from '../../src/projections/projectionEngine.ts';
import { createThread } from '../../src/modules/threadCreated.ts';
import { postMessage } from '../../src/modules/messagePosted.ts';
import { type AccountDeps, register } from '../../src/accounts/accounts.ts';
import { SessionCache } from '../../src/accounts/sessions.ts';
import type { Sql } from '../../src/db/database.ts';
import { createRateLimits } from '../../src/protection/rateLimits.ts';
import { relaxedProtection } from '../support/protection.ts';
import { ReadCache } from '../../src/projections/readCache.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { converse } from '../cli/support/chatLog.ts';

const kinds = await storeKinds();

async function checksum(db: Sql): Promise<string> {
  const hash = createHash('sha256');
  for (const [table, order] of [
    ['users', 'id'],
    ['threads', 'id'],
    ['messages', 'id'],
    ['reactions', 'message_id, emoji, user_id'],
    ['message_mentions', 'message_id, user_id'],
    ['attachments', 'id'],
    ['message_search', 'rowid'],
    ['projection_checkpoints', 'name'],
  ] as const) {
    const rows = await db.query(`SELECT * FROM ${table} ORDER BY ${order}`);
    hash.update(table).update(JSON.stringify(rows.map((r) => Object.entries(r).map(([k, v]) => [k, String(v)]))));
  }
  return hash.digest('hex');
}

describe.each(kinds)('projections on %s', (kind) => {
  let t: TestThrds;
  let deps: AccountDeps;
  beforeAll(async () => {
    t = await openTestThrds(kind);
    deps = { store: t.store, db: t.db, clock: Date.now, newId: randomUUID, readCache: new ReadCache(t.db), rateLimits: createRateLimits(relaxedProtection().rates), sessions: new SessionCache(t.db, relaxedProtection()) };
    const users = await Promise.all(['ana', 'bob', 'cyd'].map((u) => register(deps, { username: u, password: 'password1', displayName: u.toUpperCase() }, { correlationId: 'c', clientAddress: '127.0.0.1' })));
    const actors = users.map((u) => ({ userId: u.user.id, correlationId: 'c' }));
    const threads = await Promise.all(actors.map((a, i) => createThread(deps, a, { title: `Thread ${i}` })));
    let reply: string | null = null;
    for (let round = 0; round < 20; round += 1) {
      const posted = await Promise.all(
        threads.map((th, i) => postMessage(deps, actors[(i + round) % 3]!, { threadId: th.thread.id, body: `m${round} ✓`, replyToId: i === 0 ? reply : null })),
      );
      reply = posted[0]!.message.id;
    }
    // Every event type issue 12 added, edits and erasing deletions among them.
    await converse(t.store, { userIds: actors.map((a) => a.userId), threadIds: threads.map((th) => th.thread.id) }, 12);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('maintains threads with their message count, last activity and latest position', async () => {
    const rows = await t.db.query<{ message_count: number; position: number }>('SELECT message_count, position FROM threads');
    expect(rows.map((r) => Number(r.message_count)).sort()).toEqual([24, 24, 24]);
    const [last] = await t.db.query<{ position: number }>("SELECT MAX(position) AS position FROM events WHERE stream_id LIKE 'thread-%'");
    expect(Math.max(...rows.map((r) => Number(r.position)))).toBe(Number(last!.position));
  });

  it('moves every checkpoint with its rows, to the head of the log', async () => {
    const head = (await t.store.head()).position;
    const rows = await t.db.query<{ position: number }>('SELECT position FROM projection_checkpoints');
    expect(rows.map((r) => Number(r.position))).toEqual(allProjections.map(() => head));
  });

  it('rebuilds identical read models from the log after they are dropped', async () => {
    const before = await checksum(t.db);
    await t.projections.reset();
    expect(await t.db.query('SELECT * FROM messages')).toEqual([]);
    expect(await checksum(t.db)).not.toBe(before);
    const applied = await t.projections.catchUp(7);
    expect(applied).toBe((await t.store.head()).position);
    expect(await checksum(t.db)).toBe(before);
  });

  it('catches a lagging projection up before appending on top of it', async () => {
    await t.db.execute("UPDATE projection_checkpoints SET position = 0 WHERE name = 'messages'");
    await t.db.execute('DELETE FROM messages');
    const reopened = await t.another();
    const [row] = await reopened.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM messages');
    expect(Number(row!.n)).toBe(72);
  });
});
