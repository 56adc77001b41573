/**
 * Uploaded avatars through real sockets on every store: setAvatar from an
 * image upload (the thumbnail, served at User.avatarUrl), what it refuses
 * and that a refusal writes nothing, replacing and clearing (the old picture
 * erased from the log and its bytes removed), avatar bytes outliving the
 * sweep and a deleted message that shares them, other users seeing it in a
 * query and over threadEvents, `thrds rebuild users`, `thrds verify` and an
 * export/import round trip with files, and the rate limit and its metric.
 */
import { mkdtempSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttachments } from '../../src/attachments/attachments.ts';
import { sweepAttachments } from '../../src/attachments/sweep.ts';
import type { Database } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { projectionsNamed, rebuildProjections } from '../../src/projections/rebuild.ts';
import { runThrds } from '../cli/support/runThrds.ts';
import { scratchDatabase, storeKinds } from '../support/databases.ts';
import { relaxedProtection } from '../support/protection.ts';
import { collect, CREATE_THREAD, signUp, type TestServer } from '../support/server.ts';
import { fileUrl, plainPng, startFilesServer, uploaded } from './support/uploads.ts';

const kinds = await storeKinds();

const SET = `mutation ($id: ID!) { setAvatar(input: { attachmentId: $id }) { id avatarUrl } }`;
const CLEAR = `mutation { clearAvatar { id avatarUrl } }`;
const POST = `mutation ($t: ID!, $b: String!, $ids: [ID!]) { postMessage(input: { threadId: $t, body: $b, attachmentIds: $ids }) { message { id author { avatarUrl } } } }`;
const DELETE = `mutation ($m: ID!) { deleteMessage(input: { messageId: $m }) { messageId } }`;
const USER = `query ($id: ID!) { node(id: $id) { ... on User { avatarUrl } } }`;
const EVENTS = `subscription ($t: ID!, $after: Position) {
  threadEvents(threadId: $t, after: $after) { __typename ... on MessagePosted { message { body author { id avatarUrl } } } }
}`;

async function withDatabase<T>(url: string, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(url);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

const codeOf = (reply: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => reply.errors?.[0]?.extensions;

describe.each(kinds)('avatars on %s', (kind) => {
  let server: TestServer;
  let filesDir: string;
  let alice: { token: string; id: string };
  let bob: { token: string; id: string };
  let threadId: string;

  beforeAll(async () => {
    ({ server, filesDir } = await startFilesServer(kind));
    alice = await signUp(server, 'alice');
    bob = await signUp(server, 'bob');
    threadId = (await server.ok(CREATE_THREAD, { title: 'Faces' }, alice.token)).createThread.thread.id;
  });
  afterAll(async () => {
    await server.dispose();
  });

  const png = async (seed: number) => ({ bytes: await plainPng(20 + seed, 20), name: `face-${seed}.png`, type: 'image/png' });
  const store = () => createAttachments({ filesDir, maxUploadBytes: 256 * 1024 });
  const status = async (path: string) => (await fetch(fileUrl(server, path))).status;
  const avatarOf = async (userId: string) => (await server.ok(USER, { id: userId })).node.avatarUrl as string | null;
  const usersRow = (id: string) =>
    withDatabase(server.database.url, async (db) => (await db.query<{ avatar_sha256: string | null }>('SELECT avatar_sha256 FROM users WHERE id = ?', [id]))[0]?.avatar_sha256 ?? null);
  const avatarEvents = () =>
    withDatabase(server.database.url, (db) => db.query<{ data: string | object; content: string | null }>("SELECT data, content FROM events WHERE type = 'UserAvatarChanged' ORDER BY position"));

  it('makes an image upload the avatar: its thumbnail, served at avatarUrl, seen by others in a query and on threadEvents', async () => {
    const head = (await server.ok('query ($id: ID!) { thread(id: $id) { position } }', { id: threadId })).thread.position as string;
    const watch = collect<{ threadEvents: { __typename: string; message?: { body: string; author: { avatarUrl: string | null } } } }>(
      server.wsClient(bob.token),
      EVENTS,
      { t: threadId, after: head },
      (items) => items.filter((item) => item.threadEvents.__typename === 'MessagePosted').length === 2,
    );
    await server.ok(POST, { t: threadId, b: 'before' }, alice.token);
    const image = await uploaded(server, alice.token, await png(1));
    const set = (await server.ok(SET, { id: image.id }, alice.token)).setAvatar;
    expect(set.id).toBe(alice.id);
    expect(set.avatarUrl).toMatch(/^\/files\/[0-9a-f-]{36}\/avatar$/);
    await server.ok(POST, { t: threadId, b: 'after' }, alice.token);
    const delivered = (await watch.done).filter((item) => item.threadEvents.__typename === 'MessagePosted').map((item) => item.threadEvents.message);
    expect(delivered).toEqual([
      { body: 'before', author: { id: alice.id, avatarUrl: null } },
      { body: 'after', author: { id: alice.id, avatarUrl: set.avatarUrl } },
    ]);
    expect(await avatarOf(alice.id)).toBe(set.avatarUrl);
    expect(await avatarOf(bob.id)).toBeNull();

    const served = await fetch(fileUrl(server, set.avatarUrl));
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect((await served.arrayBuffer()).byteLength).toBeGreaterThan(0);
    // The upload is used up: its row and its full-size bytes are gone, the thumbnail stays as the avatar.
    expect(await status(image.url)).toBe(404);
    const sha = await usersRow(alice.id);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(await store().files.stat(sha!)).toBeDefined();
    expect(served.headers.get('etag')).toBe(`"${sha}"`);
  });

  it('refuses a malformed id, an unknown one, another’s upload, a file that is not an image, one already posted and a guest, and writes nothing', async () => {
    const before = await server.logHead();
    const beforeUrl = await avatarOf(alice.id);
    const bobs = await uploaded(server, bob.token, await png(2));
    const text = await uploaded(server, alice.token, { bytes: new TextEncoder().encode('not a face'), name: 'face.txt', type: 'text/plain' });
    const posted = await uploaded(server, alice.token, await png(3));
    await server.ok(POST, { t: threadId, b: 'posted', ids: [posted.id] }, alice.token);
    const afterPost = await server.logHead();
    expect(codeOf(await server.gql(SET, { id: 'not-a-uuid' }, alice.token))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'attachmentId' });
    expect(codeOf(await server.gql(SET, { id: '00000000-0000-4000-8000-000000000000' }, alice.token))).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await server.gql(SET, { id: bobs.id }, alice.token))).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await server.gql(SET, { id: text.id }, alice.token))).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_AN_IMAGE' });
    expect(codeOf(await server.gql(SET, { id: posted.id }, alice.token))).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ALREADY_POSTED' });
    expect(codeOf(await server.gql(SET, { id: bobs.id }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(codeOf(await server.gql(CLEAR))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await server.logHead()).toBe(afterPost);
    expect(afterPost).not.toBe(before);
    expect(await avatarOf(alice.id)).toBe(beforeUrl);
    // Refusals claimed nothing: Bob's upload is still his to use.
    expect((await server.ok(SET, { id: bobs.id }, bob.token)).setAvatar.avatarUrl).toMatch(/\/avatar$/);
  });

  it('replacing erases the old picture from the log and removes its bytes; clearing does too, and a second clear appends nothing', async () => {
    const first = (await server.ok(SET, { id: (await uploaded(server, alice.token, await png(4))).id }, alice.token)).setAvatar.avatarUrl as string;
    const firstSha = (await usersRow(alice.id))!;
    const second = (await server.ok(SET, { id: (await uploaded(server, alice.token, await png(5))).id }, alice.token)).setAvatar.avatarUrl as string;
    const secondSha = (await usersRow(alice.id))!;
    expect(second).not.toBe(first);
    expect(secondSha).not.toBe(firstSha);
    expect(await status(first)).toBe(404);
    expect(await status(second)).toBe(200);
    expect(await store().files.stat(firstSha)).toBeUndefined();

    const cleared = (await server.ok(CLEAR, {}, alice.token)).clearAvatar;
    expect(cleared).toEqual({ id: alice.id, avatarUrl: null });
    expect(await status(second)).toBe(404);
    expect(await store().files.stat(secondSha)).toBeUndefined();
    expect(await usersRow(alice.id)).toBeNull();
    const head = await server.logHead();
    expect((await server.ok(CLEAR, {}, alice.token)).clearAvatar.avatarUrl).toBeNull();
    expect(await server.logHead()).toBe(head);

    // Every picture Alice had is gone from the log: only the clear's content (no picture) is left of hers.
    const events = await avatarEvents();
    const text = JSON.stringify(events);
    for (const sha of [firstSha, secondSha]) expect(text).not.toContain(sha);
    const withContent = events.filter((e) => e.content !== null).map((e) => JSON.parse(e.content!) as { fields: { avatar: unknown } });
    // Bob's current avatar, and Alice's clear.
    expect(withContent.map((c) => c.fields.avatar === null)).toEqual([false, true]);
  });

  it('keeps the avatar’s bytes through the sweep of unposted uploads and the deletion of a message that shares them', async () => {
    const face = await png(6);
    const inMessage = await uploaded(server, alice.token, face);
    const forAvatar = await uploaded(server, alice.token, face);
    const message = (await server.ok(POST, { t: threadId, b: 'same face', ids: [inMessage.id] }, alice.token)).postMessage.message;
    const url = (await server.ok(SET, { id: forAvatar.id }, alice.token)).setAvatar.avatarUrl as string;
    await server.ok(DELETE, { m: message.id }, alice.token);
    expect(await status(inMessage.thumbnailUrl!)).toBe(404);
    expect(await status(url)).toBe(200);
    const sha = (await usersRow(alice.id))!;
    const files = store();
    await withDatabase(server.database.url, (db) => sweepAttachments(db, files, Date.now() + 2 * 24 * 60 * 60_000));
    expect(await files.files.stat(sha)).toBeDefined();
    expect(await status(url)).toBe(200);
  });

  it('thrds rebuild users folds the log to the avatars the live table holds', async () => {
    await withDatabase(server.database.url, async (db) => {
      const rows = () => db.query('SELECT id, avatar_id, avatar_sha256, avatar_content_type, avatar_byte_size FROM users ORDER BY id');
      const live = await rows();
      expect(live.filter((row) => (row as { avatar_id: string | null }).avatar_id !== null)).toHaveLength(2);
      await rebuildProjections(db, { projections: projectionsNamed(['users']) });
      expect(await rows()).toEqual(live);
    });
    expect(await status((await avatarOf(alice.id))!)).toBe(200);
  });

  it('thrds verify checks the avatars’ files; an export with files imports into a fresh store and exports the same', async () => {
    const verify = await runThrds(['verify', '--db', server.database.url, '--files-dir', filesDir, '--json']);
    expect(verify.code).toBe(0);
    const report = JSON.parse(verify.stdout) as { ok: boolean; files: { checked: number; problems: unknown[] } };
    expect(report).toMatchObject({ ok: true, files: { problems: [] } });
    const scratch = mkdtempSync(join(tmpdir(), 'thrds-avatar-export-'));
    const exportDir = join(scratch, 'files');
    const out = join(scratch, 'log.jsonl');
    const exported = await runThrds(['export', out, '--with-files', exportDir, '--db', server.database.url, '--files-dir', filesDir]);
    expect(exported.code).toBe(0);
    const copied = createAttachments({ filesDir: exportDir, maxUploadBytes: 1024 });
    for (const id of [alice.id, bob.id]) expect(await copied.files.stat((await usersRow(id))!)).toBeDefined();
    const target = scratchDatabase(kind);
    try {
      const targetFiles = join(scratch, 'target');
      const imported = await runThrds(['import', out, '--with-files', exportDir, '--db', target.url, '--files-dir', targetFiles]);
      expect(imported.code).toBe(0);
      expect((await runThrds(['verify', '--db', target.url, '--files-dir', targetFiles])).code).toBe(0);
      const again = await runThrds(['export', '--db', target.url]);
      expect(again.stdout).toBe((await runThrds(['export', '--db', server.database.url])).stdout);
      const bobsSha = (await usersRow(bob.id))!;
      await withDatabase(target.url, async (db) => {
        const [row] = await db.query<{ avatar_sha256: string | null }>('SELECT avatar_sha256 FROM users WHERE id = ?', [bob.id]);
        expect(row?.avatar_sha256).toBe(bobsSha);
      });
      // The avatar is a file the log refers to: without its bytes, verify fails and says whose it is.
      unlinkSync(join(targetFiles, bobsSha.slice(0, 2), bobsSha));
      const broken = await runThrds(['verify', '--db', target.url, '--files-dir', targetFiles, '--json']);
      expect(broken.code).toBe(1);
      expect(JSON.parse(broken.stdout).files.problems).toEqual([expect.objectContaining({ kind: 'missing', sha256: bobsSha, role: 'avatar', messageId: bob.id })]);
    } finally {
      await target.drop();
    }
  }, 180_000);
});

describe.each(kinds)('avatar limits on %s', (kind) => {
  let server: TestServer;
  let alice: { token: string; id: string };
  beforeAll(async () => {
    const off = relaxedProtection().rates;
    ({ server } = await startFilesServer(kind, { protection: relaxedProtection({ rates: { ...off, avatarChangesPerUser: { points: 2, durationSeconds: 3600 } } }) }));
    alice = await signUp(server, 'alice');
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('refuses changes past THRDS_RATE_AVATAR_CHANGES_PER_USER (RATE_LIMITED with retryAfter) and counts each outcome on /metrics', async () => {
    const image = await uploaded(server, alice.token, { bytes: await plainPng(12, 12), name: 'a.png', type: 'image/png' });
    await server.ok(SET, { id: image.id }, alice.token);
    await server.ok(CLEAR, {}, alice.token);
    const head = await server.logHead();
    const other = await uploaded(server, alice.token, { bytes: await plainPng(13, 12), name: 'b.png', type: 'image/png' });
    expect(codeOf(await server.gql(SET, { id: other.id }, alice.token))).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(await server.logHead()).toBe(head);
    const metrics = await (await fetch(fileUrl(server, '/metrics'))).text();
    expect(metrics).toContain('thrds_avatar_changes_total{outcome="set"} 1');
    expect(metrics).toContain('thrds_avatar_changes_total{outcome="cleared"} 1');
    expect(metrics).toContain('thrds_avatar_changes_total{outcome="rate_limited"} 1');
  });
});

describe.each(kinds)('avatars of a suspended user on %s', (kind) => {
  let server: TestServer;
  let admin: { token: string; id: string };
  let bob: { token: string; id: string };
  beforeAll(async () => {
    ({ server } = await startFilesServer(kind));
    // The first account of a store is its admin.
    admin = await signUp(server, 'admin');
    bob = await signUp(server, 'bob');
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('a suspended user may not set an avatar (FORBIDDEN, nothing written) but may still clear one', async () => {
    const first = await uploaded(server, bob.token, { bytes: await plainPng(14, 14), name: 'a.png', type: 'image/png' });
    await server.ok(SET, { id: first.id }, bob.token);
    await server.ok('mutation ($u: ID!) { suspendUser(input: { userId: $u }) { id } }', { u: bob.id }, admin.token);
    const second = await uploaded(server, bob.token, { bytes: await plainPng(15, 14), name: 'b.png', type: 'image/png' });
    const head = await server.logHead();
    expect(codeOf(await server.gql(SET, { id: second.id }, bob.token))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await server.logHead()).toBe(head);
    expect((await server.ok(CLEAR, {}, bob.token)).clearAvatar.avatarUrl).toBeNull();
  });
});
