/**
 * Read markers and unread counts end to end on every store: markers move
 * only forward and survive a restart and a rebuild; counts leave out the
 * viewer's own and deleted messages, and stay exact under 16 concurrent
 * writers (checked against a count taken from the log itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { rebuildProjections } from '../../src/projections/rebuild.ts';
import { storeKinds } from '../support/databases.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';
import { COUNTS, DELETE, MARK_READ } from './support/unreadApi.ts';

type Counts = { thread: { id: string; position: string; unreadCount: number; unreadMentionCount: number; lastReadPosition: string | null }; unreadThreads: number };

describe.each(await storeKinds())('read markers and unread counts on %s', (kind) => {
  let server: TestServer;
  let db: Database;
  let ana: { token: string; id: string };
  let bob: { token: string; id: string };

  beforeAll(async () => {
    server = await startTestServer(kind);
    ana = await signUp(server, 'ana');
    bob = await signUp(server, 'bob');
    db = await openDatabase(server.database.url);
  });
  afterAll(async () => {
    await db?.close();
    await server?.dispose();
  });

  const newThread = async (token = ana.token) => ((await server.ok(CREATE_THREAD, { title: 'Unread' }, token)).createThread as { thread: { id: string } }).thread.id;
  const post = async (threadId: string, body: string, token: string) =>
    (await server.ok(POST, { t: threadId, b: body }, token)).postMessage as { message: { id: string }; position: string };
  const counts = async (threadId: string, token?: string) => (await server.ok(COUNTS, { t: threadId }, token)) as Counts;

  it("counts messages after the marker that are not the viewer's own; a thread never marked counts from the viewer's registration", async () => {
    const threadId = await newThread();
    await post(threadId, 'one', ana.token);
    await post(threadId, 'two @bob', ana.token);
    await post(threadId, 'mine', bob.token);
    expect((await counts(threadId, bob.token)).thread).toMatchObject({ unreadCount: 2, unreadMentionCount: 1, lastReadPosition: null });
    expect((await counts(threadId, ana.token)).thread).toMatchObject({ unreadCount: 1, unreadMentionCount: 0 });
    // Anonymous: zero and null.
    expect(await counts(threadId)).toMatchObject({ thread: { unreadCount: 0, unreadMentionCount: 0, lastReadPosition: null }, unreadThreads: 0 });

    const late = await signUp(server, `late_${kind}`);
    expect((await counts(threadId, late.token)).thread.unreadCount).toBe(0);
    await post(threadId, 'three', ana.token);
    expect((await counts(threadId, late.token)).thread.unreadCount).toBe(1);
  });

  it('moves a marker only forward, refuses what cannot be marked with typed errors, and keeps it across a restart and a rebuild', async () => {
    const threadId = await newThread();
    const first = await post(threadId, 'a', ana.token);
    const second = await post(threadId, 'b', ana.token);
    const marked = (await server.ok(MARK_READ, { t: threadId, p: second.position }, bob.token)).markRead;
    expect(marked).toEqual({ id: threadId, unreadCount: 0, lastReadPosition: second.position });
    // A stale position changes nothing, and is no error.
    expect((await server.ok(MARK_READ, { t: threadId, p: first.position }, bob.token)).markRead.lastReadPosition).toBe(second.position);
    await post(threadId, 'c', ana.token);
    expect((await counts(threadId, bob.token)).thread.unreadCount).toBe(1);

    const head = Number((await server.health()).position);
    const codes = async (variables: Record<string, unknown>, token?: string) => (await server.gql(MARK_READ, variables, token)).errors?.map((e) => e.extensions?.code);
    expect(await codes({ t: threadId, p: String(head + 5) }, bob.token)).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ t: crypto.randomUUID(), p: '1' }, bob.token)).toEqual(['NOT_FOUND']);
    expect(await codes({ t: 'not-a-uuid', p: '1' }, bob.token)).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ t: threadId, p: '-1' }, bob.token)).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ t: threadId, p: '1' })).toEqual(['UNAUTHENTICATED']);

    await server.restart();
    expect((await counts(threadId, bob.token)).thread).toMatchObject({ unreadCount: 1, lastReadPosition: second.position });
    await rebuildProjections(db);
    expect((await counts(threadId, bob.token)).thread).toMatchObject({ unreadCount: 1, lastReadPosition: second.position });
    expect(await db.query('SELECT position FROM read_markers WHERE user_id = ? AND thread_id = ?', [bob.id, threadId])).toEqual([{ position: Number(second.position) }]);
  });

  it('no longer counts a deleted unread message, nor its mention; unreadThreads counts the threads with anything unread', async () => {
    const threadId = await newThread();
    const quiet = await newThread();
    const before = (await counts(threadId, bob.token)).unreadThreads;
    const message = await post(threadId, 'hey @bob', ana.token);
    expect((await counts(threadId, bob.token)).thread).toMatchObject({ unreadCount: 1, unreadMentionCount: 1 });
    expect((await counts(threadId, bob.token)).unreadThreads).toBe(before + 1);
    await server.ok(DELETE, { m: message.message.id }, ana.token);
    expect(await counts(threadId, bob.token)).toMatchObject({ thread: { unreadCount: 0, unreadMentionCount: 0 }, unreadThreads: before });
    expect((await counts(quiet, bob.token)).thread.unreadCount).toBe(0);
  });

  it('marks concurrently from two devices and keeps the furthest', async () => {
    const threadId = await newThread();
    const positions: string[] = [];
    for (let i = 0; i < 8; i += 1) positions.push((await post(threadId, `m${i}`, ana.token)).position);
    await Promise.all(positions.map((p) => server.ok(MARK_READ, { t: threadId, p }, bob.token)));
    expect((await counts(threadId, bob.token)).thread).toMatchObject({ unreadCount: 0, lastReadPosition: positions.at(-1) });
  });

  it('stays exact under 16 concurrent writers posting and deleting in one thread, against a count taken from the log', async () => {
    const threadId = await newThread();
    const marker = (await post(threadId, 'read up to here', ana.token)).position;
    await server.ok(MARK_READ, { t: threadId, p: marker }, bob.token);
    const writers = await Promise.all(Array.from({ length: 16 }, (_, i) => signUp(server, `w${i}_${kind}`)));
    await Promise.all(
      writers.map(async (writer, i) => {
        for (let n = 0; n < 5; n += 1) {
          const { message } = await post(threadId, `w${i} #${n}${n === 0 ? ' @bob' : ''}`, writer.token);
          if (n === 1) await server.ok(DELETE, { m: message.id }, writer.token);
        }
      }),
    );
    await Promise.all([0, 1, 2].map((n) => post(threadId, `bob ${n}`, bob.token)));

    // From the log: messages posted after the marker by others, minus the deleted ones.
    const events = await db.query<{ type: string; data: string; metadata: string; position: number | string }>(
      "SELECT type, data, metadata, position FROM events WHERE stream_id = ? AND type IN ('MessagePosted', 'MessageDeleted') ORDER BY position",
      [`thread-${threadId}`],
    );
    const deleted = new Set(events.filter((e) => e.type === 'MessageDeleted').map((e) => (JSON.parse(e.data) as { messageId: string }).messageId));
    const unread = events.filter(
      (e) => e.type === 'MessagePosted' && Number(e.position) > Number(marker) && JSON.parse(e.metadata).actorId !== bob.id && !deleted.has((JSON.parse(e.data) as { messageId: string }).messageId),
    );
    expect(unread.length).toBe(16 * 4);
    expect((await counts(threadId, bob.token)).thread).toMatchObject({ unreadCount: unread.length, unreadMentionCount: 16 });
  });

  it('derives the mentions of messages already in the log at startup when the projection stands behind (as migration 007 leaves it)', async () => {
    const threadId = await newThread();
    await post(threadId, 'old news for @bob', ana.token);
    const rows = await db.query('SELECT message_id, user_id, thread_id, position FROM message_mentions ORDER BY message_id, user_id');
    // As if 007 had just run on an existing log: an empty table whose checkpoint is 0.
    await db.execute('DELETE FROM message_mentions');
    await db.execute("UPDATE projection_checkpoints SET position = 0 WHERE name = 'message_mentions'");
    await server.restart();
    expect(await db.query('SELECT message_id, user_id, thread_id, position FROM message_mentions ORDER BY message_id, user_id')).toEqual(rows);
    expect((await counts(threadId, bob.token)).thread.unreadMentionCount).toBe(1);
  });
});
