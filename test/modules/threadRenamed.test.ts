/**
 * ThreadRenamed, the example of an event module: its rules and its
 * read-model step as given/when/then, then the whole path over real sockets
 * (renameThread, the threads read model, threadEvents) on every store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideRenameThread, type RenameThreadFacts } from '../../src/modules/threadRenamed.ts';
import { evolveThreads } from '../../src/projections/threadsProjection.ts';
import { storeKinds } from '../support/databases.ts';
import { collect, CREATE_THREAD, signUp, startTestServer, type TestServer } from '../support/server.ts';
import { ana, bob as other, recorded, threadId } from './given.ts';

const alice = ana;
const bob = other;

const aThread = (thread: Partial<NonNullable<RenameThreadFacts['thread']>> = {}): RenameThreadFacts => ({
  thread: { createdBy: alice.userId, title: 'Old title', version: 4, ...thread },
});

describe('decideRenameThread', () => {
  it('given a thread alice created, when alice renames it, then one ThreadRenamed carries the new and the previous title, expecting the version it read', () => {
    const append = decideRenameThread({ threadId, title: '  New title ' }, aThread(), alice);
    expect(append).toMatchObject({
      streamId: `thread-${threadId}`,
      expectedVersion: 4,
      events: [{ type: 'ThreadRenamed', schemaVersion: 1, data: { threadId, title: 'New title', previousTitle: 'Old title' } }],
      metadata: { actorId: alice.userId },
    });
  });

  it('given a thread alice created, when bob renames it, then it is FORBIDDEN', () => {
    expect(() => decideRenameThread({ threadId, title: 'Mine now' }, aThread(), bob)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('given no such thread, when anyone renames it, then it is NOT_FOUND', () => {
    expect(() => decideRenameThread({ threadId, title: 'Anything' }, { thread: null }, alice)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('given a title that is blank or too long, when renaming, then it is BAD_USER_INPUT before anything else is checked', () => {
    expect(() => decideRenameThread({ threadId, title: '   ' }, { thread: null }, bob)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => decideRenameThread({ threadId, title: 'x'.repeat(201) }, aThread(), alice)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => decideRenameThread({ threadId: 'not-a-uuid', title: 'Fine' }, aThread(), alice)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('given the thread already has that title, when renaming to it, then nothing is appended', () => {
    expect(decideRenameThread({ threadId, title: 'Old title' }, aThread(), alice)).toBeNull();
  });

  it('given an idempotency key, when renaming, then the key is scoped to the user and bound to this request', () => {
    const once = decideRenameThread({ threadId, title: 'New', idempotencyKey: 'k1' }, aThread(), alice);
    const other = decideRenameThread({ threadId, title: 'Newer', idempotencyKey: 'k1' }, aThread(), alice);
    expect(once?.idempotencyKey).toBe(`${alice.userId}:k1`);
    expect(once?.requestHash).not.toBe(other?.requestHash);
  });
});

describe('the threads read model, evolved by ThreadRenamed', () => {
  it('given a thread created in the same run of events, when it is renamed, then the row is inserted with the last title and position', () => {
    const created = recorded('ThreadCreated', { threadId, title: 'First' });
    const renamed = recorded('ThreadRenamed', { threadId, title: 'Second', previousTitle: 'First' });
    const changes = evolveThreads([created, renamed]);
    expect(changes.created.get(threadId)).toMatchObject({ title: 'Second', position: renamed.position, messageCount: 0, lastActivityAt: created.recordedAt });
    expect(changes.patched.size).toBe(0);
  });

  it('given an existing thread, when it is renamed twice and posted to, then one patch sets the last title, the count and the latest position', () => {
    const renamed = recorded('ThreadRenamed', { threadId, title: 'Second', previousTitle: 'First' });
    const posted = recorded('MessagePosted', { threadId, messageId: 'm', body: 'hi', replyToId: null, format: 'plain' });
    const again = recorded('ThreadRenamed', { threadId, title: 'Third', previousTitle: 'Second' });
    expect(evolveThreads([renamed, posted, again]).patched.get(threadId)).toEqual({
      title: 'Third',
      addedMessages: 1,
      lastActivityAt: posted.recordedAt,
      position: again.position,
    });
  });
});

const RENAME = `mutation ($t: ID!, $title: String!, $key: String) {
  renameThread(input: { threadId: $t, title: $title, idempotencyKey: $key }) { position thread { id title position } }
}`;

const RENAMES = `subscription ($t: ID!, $after: Position) {
  threadEvents(threadId: $t, after: $after) {
    ... on ThreadRenamed { id position previousTitle title thread { id title } }
    ... on ThreadCreated { id position }
  }
}`;

describe.each(await storeKinds())('renameThread on %s', (kind) => {
  let server: TestServer;
  let owner: { token: string; id: string };
  let other: { token: string; id: string };

  beforeAll(async () => {
    server = await startTestServer(kind);
    owner = await signUp(server, 'owner');
    other = await signUp(server, 'other');
  });
  afterAll(async () => {
    await server.dispose();
  });

  const newThread = async (title: string) => (await server.ok(CREATE_THREAD, { title }, owner.token)).createThread.thread as { id: string; position: string };

  it('renames for the creator: the payload, the read model and threadEvents all show the new title', async () => {
    const thread = await newThread('Before');
    const events = collect<{ threadEvents: { position: string; title?: string } }>(server.wsClient(), RENAMES, { t: thread.id, after: thread.position }, (items) => items.length >= 1);
    const renamed = (await server.ok(RENAME, { t: thread.id, title: 'After' }, owner.token)).renameThread;
    expect(renamed.thread).toEqual({ id: thread.id, title: 'After', position: renamed.position });
    const [delivered] = await events.done;
    expect(delivered!.threadEvents).toEqual({
      id: expect.any(String),
      position: renamed.position,
      previousTitle: 'Before',
      title: 'After',
      thread: { id: thread.id, title: 'After' },
    });
    const listed = await server.ok('{ threads(first: 100) { edges { node { id title } } } }');
    expect(listed.threads.edges).toContainEqual({ node: { id: thread.id, title: 'After' } });
    const logged = await server.ok('query ($s: ID!) { events(streamId: $s, types: ["ThreadRenamed"]) { __typename ... on ThreadRenamed { title previousTitle } } }', { s: `thread-${thread.id}` });
    expect(logged.events).toEqual([{ __typename: 'ThreadRenamed', title: 'After', previousTitle: 'Before' }]);
  });

  it('refuses anyone but the creator with FORBIDDEN, an unknown thread with NOT_FOUND, a blank title with BAD_USER_INPUT, and writes nothing', async () => {
    const thread = await newThread('Kept');
    const head = async () => (await server.logHead());
    const before = await head();
    const refusals = [
      await server.gql(RENAME, { t: thread.id, title: 'Taken over' }, other.token),
      await server.gql(RENAME, { t: '00000000-0000-4000-8000-000000000000', title: 'Nothing' }, owner.token),
      await server.gql(RENAME, { t: thread.id, title: '  ' }, owner.token),
      await server.gql(RENAME, { t: thread.id, title: 'Anonymous' }),
    ];
    expect(refusals.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'UNAUTHENTICATED']);
    expect(await head()).toBe(before);
    expect((await server.ok('query ($id: ID!) { thread(id: $id) { title } }', { id: thread.id })).thread.title).toBe('Kept');
  });

  it('renames once for a retried idempotency key, and appends nothing when the title is already that', async () => {
    const thread = await newThread('One');
    const first = (await server.ok(RENAME, { t: thread.id, title: 'Two', key: 'rename-1' }, owner.token)).renameThread;
    const retry = (await server.ok(RENAME, { t: thread.id, title: 'Two', key: 'rename-1' }, owner.token)).renameThread;
    const same = (await server.ok(RENAME, { t: thread.id, title: 'Two' }, owner.token)).renameThread;
    expect(retry.position).toBe(first.position);
    expect(same.position).toBe(first.position);
    const renames = await server.ok('query ($s: ID!) { events(streamId: $s, types: ["ThreadRenamed"]) { position } }', { s: `thread-${thread.id}` });
    expect(renames.events).toHaveLength(1);
  });

  it('chains previousTitle exactly when renames race: each replaces the title the one before it set', async () => {
    const thread = await newThread('Start');
    const titles = ['Alpha', 'Beta', 'Gamma', 'Delta'];
    await Promise.all(titles.map((title) => server.ok(RENAME, { t: thread.id, title }, owner.token)));
    const logged = await server.ok('query ($s: ID!) { events(streamId: $s, types: ["ThreadRenamed"]) { ... on ThreadRenamed { previousTitle title } } }', { s: `thread-${thread.id}` });
    const chain = logged.events as Array<{ previousTitle: string; title: string }>;
    expect(chain).toHaveLength(titles.length);
    chain.forEach((rename, i) => expect(rename.previousTitle).toBe(i === 0 ? 'Start' : chain[i - 1]!.title));
    expect(new Set(chain.map((r) => r.title))).toEqual(new Set(titles));
  });
});
