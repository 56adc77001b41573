/**
 * Attachments from upload to erasure, through real sockets on every store:
 * posting uploads with postMessage(attachmentIds), the message's attachments
 * over a query and a threadEvents subscription, deletion erasing the bytes
 * and the log's metadata, the sweep with a moved clock, quotas, and a
 * rebuild of the read model that writes what the live table holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttachments } from '../../src/attachments/attachments.ts';
import { sweepAttachments } from '../../src/attachments/sweep.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import type { Database } from '../../src/db/database.ts';
import { projectionsNamed, rebuildProjections } from '../../src/projections/rebuild.ts';
import { relaxedProtection } from '../support/protection.ts';
import { storeKinds } from '../support/databases.ts';
import { collect, CREATE_THREAD, signUp, type TestServer } from '../support/server.ts';
import { type AttachmentResult, fileUrl, plainPng, startFilesServer, upload, uploaded } from './support/uploads.ts';

const kinds = await storeKinds();

const POST = `mutation ($t: ID!, $b: String!, $ids: [ID!], $key: String) {
  postMessage(input: { threadId: $t, body: $b, attachmentIds: $ids, idempotencyKey: $key }) {
    position message { id body attachments { id contentType name alt width height url thumbnailUrl } }
  }
}`;
const MESSAGE = `query ($m: ID!) { node(id: $m) { ... on Message { id deletedAt attachments { id name url thumbnailUrl } } } }`;
const DELETE = `mutation ($m: ID!) { deleteMessage(input: { messageId: $m }) { messageId } }`;
const EVENTS = `subscription ($t: ID!, $after: Position) {
  threadEvents(threadId: $t, after: $after) { __typename ... on MessagePosted { position message { id attachments { id name contentType url } } } }
}`;

async function withDatabase<T>(url: string, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(url);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

describe.each(kinds)('posting attachments on %s', (kind) => {
  let server: TestServer;
  let filesDir: string;
  let alice: { token: string; id: string };
  let bob: { token: string; id: string };
  let threadId: string;

  beforeAll(async () => {
    ({ server, filesDir } = await startFilesServer(kind));
    alice = await signUp(server, 'alice');
    bob = await signUp(server, 'bob');
    threadId = (await server.ok(CREATE_THREAD, { title: 'Pictures' }, alice.token)).createThread.thread.id;
  });
  afterAll(async () => {
    await server.dispose();
  });

  const png = (seed: number) => plainPng(8 + seed, 8);
  const text = (content: string) => ({ bytes: new TextEncoder().encode(content), name: `${content.slice(0, 8)}.txt`, type: 'text/plain' });
  const post = (variables: Record<string, unknown>, token = alice.token) => server.gql(POST, { t: threadId, b: '', ...variables }, token);
  const codeOf = (reply: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => reply.errors?.[0]?.extensions?.code;
  const status = async (path: string) => (await fetch(fileUrl(server, path))).status;
  const attachments = () => createAttachments({ filesDir, maxUploadBytes: 256 * 1024 });

  it('posts own uploads in the order given, attachments only; the query and another user\'s threadEvents show them', async () => {
    const head = (await server.ok('query ($id: ID!) { thread(id: $id) { position } }', { id: threadId })).thread.position as string;
    const watch = collect<{ threadEvents: { __typename: string; message?: { id: string; attachments: Array<{ id: string }> } } }>(
      server.wsClient(bob.token),
      EVENTS,
      { t: threadId, after: head },
      (items) => items.some((item) => item.threadEvents.__typename === 'MessagePosted'),
    );
    const image = await uploaded(server, alice.token, { bytes: await png(1), name: 'one.png', type: 'image/png' }, 'A green square');
    const file = await uploaded(server, alice.token, text('notes for the meeting'));
    const posted = (await server.ok(POST, { t: threadId, b: ' ', ids: [file.id, image.id] }, alice.token)).postMessage;
    expect(posted.message.body).toBe('');
    expect(posted.message.attachments).toEqual([
      { id: file.id, contentType: 'application/octet-stream', name: file.name, alt: null, width: null, height: null, url: `/files/${file.id}`, thumbnailUrl: null },
      { id: image.id, contentType: 'image/png', name: 'one.png', alt: 'A green square', width: 9, height: 8, url: `/files/${image.id}`, thumbnailUrl: `/files/${image.id}/thumbnail` },
    ]);
    const read = (await server.ok(MESSAGE, { m: posted.message.id })).node;
    expect(read.attachments.map((a: AttachmentResult) => a.id)).toEqual([file.id, image.id]);
    const delivered = (await watch.done).find((item) => item.threadEvents.__typename === 'MessagePosted');
    expect(delivered?.threadEvents.message?.attachments.map((a) => a.id)).toEqual([file.id, image.id]);
    expect(await status(image.url)).toBe(200);
  });

  it('refuses another user\'s upload and an unknown id (NOT_FOUND), one already posted and more than 10 (BAD_USER_INPUT), and writes nothing', async () => {
    const bobs = await uploaded(server, bob.token, { bytes: await png(2), name: 'bob.png', type: 'image/png' });
    const mine = await uploaded(server, alice.token, text('mine once'));
    const before = await server.logHead();
    expect(codeOf(await post({ ids: [bobs.id] }))).toBe('NOT_FOUND');
    expect(codeOf(await post({ ids: ['00000000-0000-4000-8000-000000000000'] }))).toBe('NOT_FOUND');
    expect(codeOf(await post({ ids: Array.from({ length: 11 }, () => crypto.randomUUID()) }))).toBe('BAD_USER_INPUT');
    expect(await server.logHead()).toBe(before);
    // Refused posts claimed nothing: both uploads can still be posted, by their owners.
    expect(codeOf(await post({ ids: [mine.id] }))).toBeUndefined();
    expect(codeOf(await post({ ids: [bobs.id] }, bob.token))).toBeUndefined();
    const afterPosts = await server.logHead();
    expect(codeOf(await post({ ids: [mine.id] }))).toBe('BAD_USER_INPUT');
    expect(await server.logHead()).toBe(afterPosts);
  });

  it('a retry under the same idempotency key posts once and claims the same uploads again', async () => {
    const a = await uploaded(server, alice.token, text('retried upload'));
    const first = (await server.ok(POST, { t: threadId, b: 'retry', ids: [a.id], key: 'retry-1' }, alice.token)).postMessage;
    const again = (await server.ok(POST, { t: threadId, b: 'retry', ids: [a.id], key: 'retry-1' }, alice.token)).postMessage;
    expect(again.position).toBe(first.position);
  });

  it('a refused retry under the same key that adds a file does not free the files already posted', async () => {
    const a = await uploaded(server, alice.token, text('posted with k'));
    const b = await uploaded(server, alice.token, text('added on retry'));
    await server.ok(POST, { t: threadId, b: 'first', ids: [a.id], key: 'retry-2' }, alice.token);
    // Same key, another request: CONFLICT. Its claim on `a` (same token) must not end in releasing `a`.
    expect(codeOf(await post({ b: 'first', ids: [a.id, b.id], key: 'retry-2' }))).toBe('CONFLICT');
    const head = await server.logHead();
    expect(codeOf(await post({ b: 'again', ids: [a.id], key: 'another' }))).toBe('BAD_USER_INPUT');
    expect(await server.logHead()).toBe(head);
    // `b` was released: it can be posted.
    expect(codeOf(await post({ b: 'b alone', ids: [b.id] }))).toBeUndefined();
  });

  it('deleting a message erases its files, its uploads rows and the metadata in the log; bytes another message shares stay', async () => {
    const shared = await png(3);
    const a = await uploaded(server, alice.token, { bytes: shared, name: 'secret-plan.png', type: 'image/png' });
    const only = await uploaded(server, alice.token, text('only in the deleted message'));
    const b = await uploaded(server, bob.token, { bytes: shared, name: 'same-bytes.png', type: 'image/png' });
    const deleted = (await server.ok(POST, { t: threadId, b: 'to delete', ids: [a.id, only.id] }, alice.token)).postMessage.message;
    const kept = (await server.ok(POST, { t: threadId, b: 'to keep', ids: [b.id] }, bob.token)).postMessage.message;
    const sha = await withDatabase(server.database.url, async (db) => (await db.query<{ sha256: string }>('SELECT sha256 FROM attachments WHERE id = ?', [only.id]))[0]?.sha256);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(await attachments().files.stat(sha!)).toBeDefined();

    await server.ok(DELETE, { m: deleted.id }, alice.token);
    expect(await status(a.url)).toBe(404);
    expect(await status(a.thumbnailUrl!)).toBe(404);
    expect(await status(only.url)).toBe(404);
    expect(await attachments().files.stat(sha!)).toBeUndefined();
    // Bob's message has the same image bytes: they stay.
    expect(await status(b.url)).toBe(200);
    expect(await status(b.thumbnailUrl!)).toBe(200);
    expect((await server.ok(MESSAGE, { m: deleted.id })).node).toMatchObject({ attachments: [] });
    expect((await server.ok(MESSAGE, { m: kept.id })).node.attachments).toHaveLength(1);
    await withDatabase(server.database.url, async (db) => {
      const [event] = await db.query<{ data: string; content: string | null }>("SELECT data, content FROM events WHERE type = 'MessagePosted' AND data LIKE ?", [`%${deleted.id}%`]);
      expect(event).toBeDefined();
      expect(event!.content).toBeNull();
      const everything = JSON.stringify(event);
      for (const secret of [sha!, 'secret-plan', 'only in', a.id, only.id]) expect(everything).not.toContain(secret);
      expect(await db.query('SELECT id FROM uploads WHERE id IN (?, ?)', [a.id, only.id])).toEqual([]);
      expect(await db.query('SELECT id FROM attachments WHERE message_id = ?', [deleted.id])).toEqual([]);
    });
  });

  it('the sweep removes uploads never posted after a day and files nobody refers to after an hour, and nothing younger', async () => {
    const unposted = await uploaded(server, alice.token, text('never posted'));
    const posted = await uploaded(server, alice.token, text('posted and kept'));
    await server.ok(POST, { t: threadId, b: 'keep', ids: [posted.id] }, alice.token);
    const store = attachments();
    const orphan = await store.files.put(new TextEncoder().encode('an orphan left by a crash'));
    await withDatabase(server.database.url, async (db) => {
      // Now: everything is younger than an hour.
      expect(await sweepAttachments(db, store, Date.now())).toEqual({ uploadsRemoved: 0, filesRemoved: 0 });
      expect(await status(unposted.url)).toBe(200);
      expect(await store.files.stat(orphan.sha256)).toBeDefined();
      // Two days on.
      const swept = await sweepAttachments(db, store, Date.now() + 2 * 24 * 60 * 60_000);
      expect(swept.uploadsRemoved).toBeGreaterThanOrEqual(1);
      expect(await db.query('SELECT id FROM uploads WHERE id = ?', [unposted.id])).toEqual([]);
    });
    expect(await status(unposted.url)).toBe(404);
    expect(await store.files.stat(orphan.sha256)).toBeUndefined();
    expect(await status(posted.url)).toBe(200);
    expect(store.stats.filesRemoved).toBeGreaterThanOrEqual(2);
  });

  it('a page of 50 messages with every field the web app asks for, attachments included, is within the complexity limit', async () => {
    const query = `query ($id: ID!) { thread(id: $id) { id title messages(last: 50) { edges { cursor node {
      id body format postedAt position editedAt deletedAt author { id username displayName } mentions { id username }
      reactions { emoji count reactedByMe users(first: 5) { id displayName } }
      attachments { id contentType byteSize name alt width height url thumbnailUrl }
      replyTo { id body deletedAt author { id username displayName } }
    } } pageInfo { hasPreviousPage startCursor } } } }`;
    const reply = await server.gql(query, { id: threadId });
    // The cost is counted from the document, before anything is read: an empty page would be refused alike.
    expect(reply.errors).toBeUndefined();
    expect(reply.data?.thread.id).toBe(threadId);
  });

  it('thrds rebuild folds the log to the attachments the live table holds', async () => {
    const a = await uploaded(server, alice.token, { bytes: await png(4), name: 'rebuilt.png', type: 'image/png' }, 'alt kept');
    await server.ok(POST, { t: threadId, b: 'rebuild me', ids: [a.id] }, alice.token);
    await withDatabase(server.database.url, async (db) => {
      const rows = () => db.query('SELECT * FROM attachments ORDER BY id');
      const live = await rows();
      expect(live.length).toBeGreaterThanOrEqual(3);
      await rebuildProjections(db, { projections: projectionsNamed(['attachments']) });
      expect(await rows()).toEqual(live);
    });
    expect((await fetch(fileUrl(server, a.url))).status).toBe(200);
  });
});

describe.each(kinds)('upload quotas on %s', (kind) => {
  let server: TestServer;
  let alice: { token: string; id: string };
  beforeAll(async () => {
    const off = relaxedProtection().rates;
    const protection = relaxedProtection({
      rates: { ...off, uploadsPerUser: { points: 3, durationSeconds: 3600 }, uploadBytesPerUser: { points: 1000, durationSeconds: 86_400 } },
    });
    ({ server } = await startFilesServer(kind, { protection }));
    alice = await signUp(server, 'alice');
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('refuses uploads past the day\'s bytes and past the count (RATE_LIMITED with retryAfter)', async () => {
    const file = (size: number) => ({ bytes: new Uint8Array(size).fill(7), name: 'f.bin', type: 'application/octet-stream' });
    expect((await upload(server, alice.token, file(600))).body?.data?.uploadAttachment.byteSize).toBe(600);
    const overBytes = await upload(server, alice.token, file(600));
    expect(overBytes.body?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect((await upload(server, alice.token, file(100))).body?.data?.uploadAttachment.byteSize).toBe(100);
    const overCount = await upload(server, alice.token, file(10));
    expect(overCount.body?.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const metrics = await (await fetch(fileUrl(server, '/metrics'))).text();
    expect(metrics).toContain('thrds_uploads_total{outcome="stored"} 2');
    expect(metrics).toContain('thrds_uploads_total{outcome="rate_limited"} 2');
    expect(metrics).toContain('thrds_upload_bytes_total 700');
  });
});
