/**
 * Edits and deletions end to end through real sockets on every store:
 * editMessage and deleteMessage over HTTP, the read model, revisions and
 * time travel as queries see them, and MessageEdited / MessageDeleted live
 * on another user's WebSocket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/databases.ts';
import { collect, CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';

const kinds = await storeKinds();

const EDIT = `mutation ($m: ID!, $b: String!, $key: String) {
  editMessage(input: { messageId: $m, body: $b, idempotencyKey: $key }) { position message { id body editedAt deletedAt revisions { body editedAt } } }
}`;
const DELETE = `mutation ($m: ID!, $reason: String) { deleteMessage(input: { messageId: $m, reason: $reason }) { messageId position } }`;
const MESSAGE = `query ($m: ID!) { node(id: $m) { ... on Message { id body postedAt editedAt deletedAt position revisions { body editedAt } replyTo { id body deletedAt } } } }`;
const EVENTS = `subscription ($t: ID!, $after: Position) {
  threadEvents(threadId: $t, after: $after) {
    __typename
    ... on MessagePosted { position message { id body deletedAt } }
    ... on MessageEdited { position message { id body editedAt deletedAt } }
    ... on MessageDeleted { position messageId reason message { id body deletedAt revisions { body } } }
  }
}`;

interface Delivered {
  threadEvents: { __typename: string; position: string; messageId?: string; reason?: string | null; message: Record<string, unknown> };
}

describe.each(kinds)('edits and deletions on %s', (kind) => {
  let server: TestServer;
  let alice: { token: string; id: string };
  let bob: { token: string; id: string };
  let carol: { token: string; id: string };

  beforeAll(async () => {
    server = await startTestServer(kind);
    // The first account of an empty store is its admin.
    alice = await signUp(server, 'alice');
    bob = await signUp(server, 'bob');
    carol = await signUp(server, 'carol');
    await server.ok('mutation ($u: ID!) { setUserRole(input: { userId: $u, role: MODERATOR }) { role } }', { u: carol.id }, alice.token);
  });
  afterAll(async () => {
    await server.dispose();
  });

  const newThread = async (title: string, token = alice.token) => (await server.ok(CREATE_THREAD, { title }, token)).createThread.thread as { id: string; position: string };
  const post = async (threadId: string, body: string, token = alice.token, replyTo: string | null = null) =>
    (await server.ok(POST, { t: threadId, b: body, r: replyTo }, token)).postMessage as { position: string; message: { id: string } };
  const message = async (id: string) => (await server.ok(MESSAGE, { m: id })).node;
  const head = async () => (await server.logHead());
  const codeOf = (response: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;

  it('edits for the author: the payload and later reads show the new text, editedAt, and the earlier texts oldest first', async () => {
    const thread = await newThread('Edits');
    const posted = await post(thread.id, 'Lunch at noon?');
    const first = (await server.ok(EDIT, { m: posted.message.id, b: ' Lunch at one? ' }, alice.token)).editMessage;
    expect(first.message).toMatchObject({ id: posted.message.id, body: 'Lunch at one?', editedAt: expect.any(String), deletedAt: null });
    const second = (await server.ok(EDIT, { m: posted.message.id, b: 'Lunch at two?' }, alice.token)).editMessage;
    expect(BigInt(second.position)).toBeGreaterThan(BigInt(first.position));
    const now = await message(posted.message.id);
    expect(now).toMatchObject({ body: 'Lunch at two?', editedAt: second.message.editedAt, deletedAt: null, position: posted.position });
    expect(now.revisions).toEqual([
      { body: 'Lunch at noon?', editedAt: now.postedAt },
      { body: 'Lunch at one?', editedAt: first.message.editedAt },
    ]);
    const listed = await server.ok('query ($id: ID!) { thread(id: $id) { messageCount messages(last: 5) { edges { node { body editedAt } } } } }', { id: thread.id });
    expect(listed.thread).toEqual({ messageCount: 1, messages: { edges: [{ node: { body: 'Lunch at two?', editedAt: second.message.editedAt } }] } });
  });

  it('counts revisions as long as they can be: a page of 20 messages may ask for them, a page of 50 is QUERY_TOO_COMPLEX', async () => {
    const thread = await newThread('Heavy history');
    const q = 'query ($id: ID!, $n: Int) { thread(id: $id) { messages(last: $n) { edges { node { revisions { body editedAt } } } } } }';
    expect((await server.ok(q, { id: thread.id, n: 20 })).thread.messages.edges).toEqual([]);
    expect(codeOf(await server.gql(q, { id: thread.id, n: 50 }))).toBe('QUERY_TOO_COMPLEX');
  });

  it('appends nothing for the same text or a retried key, and answers with the position of the edit that wrote the text', async () => {
    const thread = await newThread('No-op edits');
    const posted = await post(thread.id, 'Same');
    const same = (await server.ok(EDIT, { m: posted.message.id, b: '  Same ' }, alice.token)).editMessage;
    expect(same).toMatchObject({ position: posted.position, message: { body: 'Same', editedAt: null, revisions: [] } });
    const edited = (await server.ok(EDIT, { m: posted.message.id, b: 'Changed', key: 'edit-1' }, alice.token)).editMessage;
    const before = await head();
    const retried = (await server.ok(EDIT, { m: posted.message.id, b: 'Changed', key: 'edit-1' }, alice.token)).editMessage;
    const again = (await server.ok(EDIT, { m: posted.message.id, b: 'Changed' }, alice.token)).editMessage;
    expect(retried.position).toBe(edited.position);
    expect(again.position).toBe(edited.position);
    expect(await head()).toBe(before);
    const reused = await server.gql(EDIT, { m: posted.message.id, b: 'Something else', key: 'edit-1' }, alice.token);
    expect(codeOf(reused)).toBe('CONFLICT');
    const edits = await server.ok('query ($s: ID!) { events(streamId: $s, types: ["MessageEdited"]) { position } }', { s: `thread-${thread.id}` });
    expect(edits.events).toEqual([{ position: edited.position }]);
  });

  it('refuses an edit by anyone but the author (a moderator too) with FORBIDDEN, bad input with BAD_USER_INPUT, and writes nothing', async () => {
    const thread = await newThread('Not yours');
    const posted = await post(thread.id, 'Mine');
    const before = await head();
    const refusals = [
      await server.gql(EDIT, { m: posted.message.id, b: 'Yours now' }, bob.token),
      await server.gql(EDIT, { m: posted.message.id, b: 'Moderated' }, carol.token),
      await server.gql(EDIT, { m: posted.message.id, b: '   ' }, alice.token),
      await server.gql(EDIT, { m: posted.message.id, b: 'x'.repeat(4001) }, alice.token),
      await server.gql(EDIT, { m: 'not-an-id', b: 'Fine' }, alice.token),
      await server.gql(EDIT, { m: '00000000-0000-4000-8000-000000000000', b: 'Nobody' }, alice.token),
      await server.gql(EDIT, { m: posted.message.id, b: 'Anonymous' }),
    ];
    expect(refusals.map(codeOf)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'NOT_FOUND', 'UNAUTHENTICATED']);
    expect(await head()).toBe(before);
    expect(await message(posted.message.id)).toMatchObject({ body: 'Mine', editedAt: null });
  });

  it('deletes for the author: a tombstone that keeps its place and its replies, with no text, revisions or reactions; edits and deletions after it are NOT_FOUND', async () => {
    const thread = await newThread('Deletions');
    const posted = await post(thread.id, 'Regrettable');
    await server.ok(EDIT, { m: posted.message.id, b: 'More regrettable' }, alice.token);
    const reply = await post(thread.id, 'What did you say?', bob.token, posted.message.id);
    await server.ok('mutation ($m: ID!) { addReaction(input: { messageId: $m, emoji: "😮" }) { position } }', { m: posted.message.id }, bob.token);
    expect((await server.ok('query ($m: ID!) { node(id: $m) { ... on Message { reactions { emoji count } } } }', { m: posted.message.id })).node.reactions).toEqual([{ emoji: '😮', count: 1 }]);
    const deleted = (await server.ok(DELETE, { m: posted.message.id, reason: ' said too much ' }, alice.token)).deleteMessage;
    expect(deleted.messageId).toBe(posted.message.id);
    const tombstone = await message(posted.message.id);
    expect(tombstone).toMatchObject({ id: posted.message.id, body: '', deletedAt: expect.any(String), editedAt: expect.any(String), position: posted.position, revisions: [] });
    expect((await server.ok('query ($m: ID!) { node(id: $m) { ... on Message { reactions { emoji } } } }', { m: posted.message.id })).node.reactions).toEqual([]);
    expect((await message(reply.message.id)).replyTo).toEqual({ id: posted.message.id, body: '', deletedAt: tombstone.deletedAt });
    const list = await server.ok('query ($id: ID!) { thread(id: $id) { messages(last: 5) { edges { node { id body deletedAt } } } } }', { id: thread.id });
    expect(list.thread.messages.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([posted.message.id, reply.message.id]);
    const logged = await server.ok('query ($s: ID!) { events(streamId: $s, types: ["MessageDeleted"]) { ... on MessageDeleted { messageId reason actor { username } } } }', { s: `thread-${thread.id}` });
    expect(logged.events).toEqual([{ messageId: posted.message.id, reason: 'said too much', actor: { username: 'alice' } }]);
    const before = await head();
    const after = [
      await server.gql(EDIT, { m: posted.message.id, b: 'Back from the dead' }, alice.token),
      await server.gql(DELETE, { m: posted.message.id }, alice.token),
      await server.gql(DELETE, { m: '00000000-0000-4000-8000-000000000000' }, alice.token),
    ];
    expect(after.map(codeOf)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    expect(await head()).toBe(before);
  });

  it('lets a moderator or an admin delete anyone\'s message, refuses other members with FORBIDDEN and an overlong reason with BAD_USER_INPUT', async () => {
    const thread = await newThread('Moderated', bob.token);
    const [byBob, alsoByBob, byAlice] = [await post(thread.id, 'spam 1', bob.token), await post(thread.id, 'spam 2', bob.token), await post(thread.id, 'fine')];
    const before = await head();
    expect(codeOf(await server.gql(DELETE, { m: byAlice.message.id }, bob.token))).toBe('FORBIDDEN');
    expect(codeOf(await server.gql(DELETE, { m: byBob.message.id, reason: 'r'.repeat(501) }, carol.token))).toBe('BAD_USER_INPUT');
    expect(await head()).toBe(before);
    await server.ok(DELETE, { m: byBob.message.id, reason: 'spam' }, carol.token);
    await server.ok(DELETE, { m: alsoByBob.message.id }, alice.token);
    for (const id of [byBob.message.id, alsoByBob.message.id]) expect(await message(id)).toMatchObject({ body: '', deletedAt: expect.any(String) });
    expect(await message(byAlice.message.id)).toMatchObject({ body: 'fine', deletedAt: null });
  });

  it('refuses edits in a locked thread with FORBIDDEN, and still lets the author delete there', async () => {
    const thread = await newThread('Locked');
    const posted = await post(thread.id, 'Before the lock');
    await server.ok('mutation ($t: ID!) { lockThread(input: { threadId: $t, locked: true }) { locked } }', { t: thread.id }, alice.token);
    expect(codeOf(await server.gql(EDIT, { m: posted.message.id, b: 'After the lock' }, alice.token))).toBe('FORBIDDEN');
    await server.ok(DELETE, { m: posted.message.id }, alice.token);
    expect(await message(posted.message.id)).toMatchObject({ body: '', deletedAt: expect.any(String) });
  });

  it('delivers MessageEdited with the edited message and MessageDeleted with the tombstone and reason, live on another user\'s socket', async () => {
    const thread = await newThread('Live');
    const posted = await post(thread.id, 'Live draft');
    const live = collect<Delivered>(server.wsClient(bob.token), EVENTS, { t: thread.id, after: posted.position }, (items) => items.length >= 2);
    const edited = (await server.ok(EDIT, { m: posted.message.id, b: 'Live final' }, alice.token)).editMessage;
    // Delivered before the deletion commits: once it has, the text is gone (a later delivery of the edit shows the tombstone, below).
    await waitFor(() => live.items.length >= 1, { what: 'the edit to be delivered', seen: () => `${live.items.length} items` });
    const deleted = (await server.ok(DELETE, { m: posted.message.id, reason: 'done' }, alice.token)).deleteMessage;
    const [edit, deletion] = (await live.done).map((item) => item.threadEvents);
    expect(edit).toEqual({
      __typename: 'MessageEdited',
      position: edited.position,
      message: { id: posted.message.id, body: 'Live final', editedAt: edited.message.editedAt, deletedAt: null },
    });
    expect(deletion).toEqual({
      __typename: 'MessageDeleted',
      position: deleted.position,
      messageId: posted.message.id,
      reason: 'done',
      message: { id: posted.message.id, body: '', deletedAt: expect.any(String), revisions: [] },
    });
    // Replayed after the deletion (from the server's memory of recent events), the post and the edit show the tombstone: the text is gone.
    const replay = collect<Delivered>(server.wsClient(), EVENTS, { t: thread.id, after: thread.position }, (items) => items.length >= 3);
    const tombstone = { id: posted.message.id, body: '', deletedAt: deletion!.message.deletedAt };
    expect((await replay.done).map((item) => item.threadEvents)).toEqual([
      { __typename: 'MessagePosted', position: posted.position, message: tombstone },
      { __typename: 'MessageEdited', position: edited.position, message: { ...tombstone, editedAt: edited.message.editedAt } },
      { ...deletion, message: { ...tombstone, revisions: [] } },
    ]);
  });

  it('shows a deleted message as its tombstone in thread(asOf:) at a position before its deletion, and an edited one as it was then', async () => {
    const thread = await newThread('Then');
    const gone = await post(thread.id, 'Soon gone');
    const kept = await post(thread.id, 'Kept v1');
    const edited = (await server.ok(EDIT, { m: kept.message.id, b: 'Kept v2' }, alice.token)).editMessage;
    await server.ok(DELETE, { m: gone.message.id }, alice.token);
    const q = `query ($id: ID!, $asOf: Position) { thread(id: $id, asOf: $asOf) { messages(last: 5) { edges { node { id body editedAt deletedAt revisions { body } } } } } }`;
    const at = async (asOf: string) => (await server.ok(q, { id: thread.id, asOf })).thread.messages.edges.map((e: { node: unknown }) => e.node);
    const deletedAt = (await message(gone.message.id)).deletedAt;
    expect(await at(kept.position)).toEqual([
      { id: gone.message.id, body: '', editedAt: null, deletedAt, revisions: [] },
      { id: kept.message.id, body: 'Kept v1', editedAt: null, deletedAt: null, revisions: [] },
    ]);
    expect((await at(edited.position))[1]).toEqual({ id: kept.message.id, body: 'Kept v2', editedAt: edited.message.editedAt, deletedAt: null, revisions: [{ body: 'Kept v1' }] });
  });
});
