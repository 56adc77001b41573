/**
 * Erasure in the event store, on every adapter: content stored apart from
 * the hashed data, erased (and only that) by a later event in its own
 * transaction, refused once erased, and read back in today's shape or in
 * the stored form. A bare store (no projections): this is the log's
 * contract, whatever the read models make of it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { contentDigest, ERASED_REQUEST_HASH } from '../../src/events/erasableContent.ts';
import type { AppendRequest, Erasure } from '../../src/events/eventStore.ts';
import { canonicalJson } from '../../src/events/canonicalJson.ts';
import { chainHash, GENESIS_HASH } from '../../src/events/hashChain.ts';
import { LogFeed } from '../../src/events/logFeed.ts';
import { SqlEventStore } from '../../src/events/sqlEventStore.ts';
import { streamOf, type StoredEvent } from '../../src/events/types.ts';
import { messageContentKey, newEvent } from '../../src/modules/eventModule.ts';
import { upcast } from '../../src/modules/index.ts';
import { messageDeleted } from '../../src/modules/messageDeleted.ts';
import { messageEdited } from '../../src/modules/messageEdited.ts';
import { messagePosted } from '../../src/modules/messagePosted.ts';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';
import { systemMetadata } from '../support/thrds.ts';
import { waitFor } from '../support/waitFor.ts';

const kinds = await storeKinds();

/** A message's life as the modules write it: posted, edited, deleted, each its own append. */
function aMessage(threadId = randomUUID(), messageId = randomUUID()) {
  const streamId = streamOf.thread(threadId);
  const append = (event: AppendRequest['events'][number], idempotencyKey?: string): AppendRequest => ({
    streamId,
    events: [event],
    metadata: systemMetadata,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey, requestHash: contentDigest(canonicalJson(event.data)) }),
  });
  return {
    messageId,
    streamId,
    post: (body: string, idempotencyKey?: string) =>
      append(newEvent(messagePosted, { messageId, threadId, body, replyToId: null, format: 'plain', attachments: [] }), idempotencyKey),
    edit: (body: string, idempotencyKey?: string) => append(newEvent(messageEdited, { messageId, threadId, body }), idempotencyKey),
    delete: () => append(newEvent(messageDeleted, { messageId, threadId, reason: null, erases: messageContentKey(messageId) })),
  };
}

describe.each(kinds)('erasable content in the event store on %s', (kind) => {
  let database: TestDatabase;
  let db: Database;
  let store: SqlEventStore;
  const erasedByHooks: Erasure[][] = [];
  const committed: StoredEvent[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = await openDatabase(database.url);
    await migrate(db);
    store = new SqlEventStore(db, { upcast, onErase: [{ afterCommit: (erasures) => erasedByHooks.push([...erasures]) }] });
    store.onCommitted((events) => committed.push(...events));
  });
  afterAll(async () => {
    await store.drain();
    await db.close();
    await database.drop();
  });

  it("stores a message's text apart from the hashed data, which commits to a salted digest of it, and hands it out in place", async () => {
    const m = aMessage();
    const posted = await store.append(m.post('hello there'));
    expect(posted.events[0]!.data).toMatchObject({ body: 'hello there', messageId: m.messageId });
    expect(posted.events[0]).not.toHaveProperty('content');
    expect(posted.events[0]).not.toHaveProperty('erased');

    const [row] = await db.query<{ data: string; content: string; erasure_key: string }>('SELECT data, content, erasure_key FROM events WHERE position = ?', [
      posted.firstPosition,
    ]);
    expect(String(row!.data)).not.toContain('hello there');
    const content = JSON.parse(row!.content) as { fields: Record<string, unknown>; salt: string };
    expect(content.fields).toEqual({ body: 'hello there', attachments: [] });
    expect(content.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(row!.erasure_key).toBe(messageContentKey(m.messageId));

    const [stored] = await store.readAll({ after: posted.firstPosition - 1, limit: 1, stored: true });
    expect(stored!.data).not.toHaveProperty('body');
    expect(stored!.data.erasable).toEqual({ key: messageContentKey(m.messageId), fields: ['body', 'attachments'], digest: contentDigest(row!.content) });
    expect(stored!.content).toEqual(content);
    const [before] = await store.readAll({ after: posted.firstPosition - 2, until: posted.firstPosition - 1, stored: true });
    // The chain hash covers the stored data (the digest), by the unchanged rule.
    expect(chainHash(before?.hash ?? GENESIS_HASH, stored!)).toBe(stored!.hash);

    const [current] = await store.readStream(m.streamId);
    expect(current!.data).toMatchObject({ body: 'hello there' });
    expect(current!.data).not.toHaveProperty('erasable');
  });

  it('gives two posts of the same text different salts and digests', async () => {
    const a = await store.append(aMessage().post('same'));
    const b = await store.append(aMessage().post('same'));
    const rows = await store.readAll({ after: a.firstPosition - 1, until: b.firstPosition, stored: true });
    expect(rows[0]!.content!.salt).not.toBe(rows.at(-1)!.content!.salt);
    expect(rows[0]!.data.erasable).not.toEqual(rows.at(-1)!.data.erasable);
  });

  it('erases the post and every edit of a message in the deleting transaction, keeps every hash, and reads them back as erased', async () => {
    const m = aMessage();
    const other = aMessage();
    await store.append(other.post('a bystander'));
    const posted = await store.append(m.post('first draft'));
    await store.append(m.edit('second draft'));
    await store.append(m.edit('final words'));
    const hashesBefore = (await store.readAll({ stored: true, limit: 100_000 })).map((e) => e.hash);
    committed.length = 0;
    const deleted = await store.append(m.delete());

    expect(deleted.events[0]!.data).toMatchObject({ erases: messageContentKey(m.messageId) });
    const after = await store.readAll({ stored: true, limit: 100_000 });
    expect(after.slice(0, hashesBefore.length).map((e) => e.hash)).toEqual(hashesBefore);
    const versions = after.filter((e) => e.position >= posted.firstPosition && e.position < deleted.firstPosition);
    expect(versions.map((e) => e.content)).toEqual([null, null, null]);

    const rows = await db.query<{ content: string | null }>('SELECT content FROM events WHERE erasure_key = ?', [messageContentKey(m.messageId)]);
    expect(rows.map((r) => r.content)).toEqual([null, null, null]);
    const [erasure] = await db.query<{ position: number | string }>('SELECT position FROM erasures WHERE erasure_key = ?', [messageContentKey(m.messageId)]);
    expect(Number(erasure!.position)).toBe(deleted.firstPosition);

    const current = await store.readStream(m.streamId);
    expect(current.filter((e) => e.type !== 'MessageDeleted').map((e) => [e.type, e.data.body, e.erased])).toEqual([
      ['MessagePosted', '', true],
      ['MessageEdited', '', true],
      ['MessageEdited', '', true],
    ]);
    // Nothing else under another key was touched.
    expect((await store.readStream(other.streamId))[0]!.data.body).toBe('a bystander');
    expect(committed.map((e) => e.type)).toEqual(['MessageDeleted']);
    expect(erasedByHooks.at(-1)).toEqual([{ key: messageContentKey(m.messageId), position: deleted.firstPosition }]);
  });

  it('refuses an edit or a second deletion of a deleted message with NOT_FOUND, and writes nothing', async () => {
    const m = aMessage();
    await store.append(m.post('soon gone'));
    await store.append(m.delete());
    const head = await store.head();
    await expect(store.append(m.edit('too late'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.append(m.delete())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await store.head()).toEqual(head);
  });

  it('lets only one of an edit and a deletion racing in one group write content under the key', async () => {
    const m = aMessage();
    await store.append(m.post('racing'));
    const [deleted, edited] = await Promise.allSettled([store.append(m.delete()), store.append(m.edit('racing, edited'))]);
    expect(deleted.status).toBe('fulfilled');
    expect(edited).toMatchObject({ status: 'rejected', reason: { code: 'NOT_FOUND' } });
    const [present] = await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM events WHERE erasure_key = ? AND content IS NOT NULL', [
      messageContentKey(m.messageId),
    ]);
    expect(Number(present!.n)).toBe(0);
  });

  it('forgets the request hash of an erased append, and answers a retry of it as a duplicate with the original positions', async () => {
    const m = aMessage();
    const key = `idem-${randomUUID()}`;
    const posted = await store.append(m.post('guessable', key));
    await store.append(m.delete());
    const [stored] = await db.query<{ request_hash: string }>('SELECT request_hash FROM idempotency_keys WHERE idem_key = ?', [key]);
    expect(stored!.request_hash).toBe(ERASED_REQUEST_HASH);
    const head = await store.head();
    const retry = await store.append(m.post('guessable', key));
    expect(retry).toMatchObject({ duplicate: true, firstPosition: posted.firstPosition, lastPosition: posted.lastPosition });
    expect(retry.events[0]).toMatchObject({ erased: true, data: { body: '' } });
    expect(await store.head()).toEqual(head);
  });

  it('reads an idempotency key written and erased within one group as erased too', async () => {
    const m = aMessage();
    const key = `idem-${randomUUID()}`;
    await Promise.all([store.append(m.post('same group', key)), store.append(m.delete())]);
    const [stored] = await db.query<{ request_hash: string }>('SELECT request_hash FROM idempotency_keys WHERE idem_key = ?', [key]);
    expect(stored!.request_hash).toBe(ERASED_REQUEST_HASH);
  });

  it('lets the events table take no UPDATE but erasing content: not the data, not the content rewritten, not the key', async () => {
    const m = aMessage();
    const posted = await store.append(m.post('keep me'));
    const at = posted.firstPosition;
    await expect(db.execute("UPDATE events SET data = '{}' WHERE position = ?", [at])).rejects.toThrow(/append-only/);
    await expect(db.execute(`UPDATE events SET content = '{"fields":{"body":"forged"},"salt":"00"}' WHERE position = ?`, [at])).rejects.toThrow(
      /append-only/,
    );
    await expect(db.execute("UPDATE events SET erasure_key = 'message:other' WHERE position = ?", [at])).rejects.toThrow(/append-only/);
    await expect(db.execute('UPDATE events SET content = NULL, hash = ? WHERE position = ?', ['0'.repeat(64), at])).rejects.toThrow(/append-only/);
    await expect(db.execute('DELETE FROM events WHERE position = ?', [at])).rejects.toThrow(/append-only/);
    expect((await store.readStream(m.streamId))[0]!.data.body).toBe('keep me');
  });

  it('refuses erasable content with a malformed key or an erasure of a malformed key as BAD_USER_INPUT', async () => {
    const m = aMessage();
    const bad = { ...m.post('x'), events: [{ ...m.post('x').events[0]!, erasable: { key: 'x'.repeat(129), fields: ['body'] } }] };
    await expect(store.append(bad)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    const missing = { ...m.post('x'), events: [{ ...m.post('x').events[0]!, erasable: { key: 'k', fields: ['nothing'] } }] };
    await expect(store.append(missing)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(store.append({ streamId: m.streamId, events: [{ type: 'MessageDeleted', data: { erases: 'é' } }], metadata: systemMetadata })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });

  it('blanks erased text in the events the log feed holds in memory, so a replay from memory serves it no more', async () => {
    const feed = await LogFeed.start(store);
    try {
      const m = aMessage();
      const before = (await store.head()).position;
      await store.append(m.post('said in memory'));
      await store.append(m.edit('edited in memory'));
      await waitFor(() => feed.head > before + 1, { what: 'the feed to hold the post and the edit' });
      const deleted = await store.append(m.delete());
      await waitFor(() => feed.head >= deleted.lastPosition, { what: 'the feed to hold the deletion' });
      const replay = await feed.subscribe(before, { streamId: m.streamId }).pull();
      expect(replay.map((e) => e.type)).toEqual(['MessagePosted', 'MessageEdited', 'MessageDeleted']);
      expect(replay.slice(0, 2).map((e) => [e.data.body, e.erased])).toEqual([
        ['', true],
        ['', true],
      ]);
      expect(JSON.stringify(replay)).not.toMatch(/in memory/);
    } finally {
      await feed.stop();
    }
  });
});
