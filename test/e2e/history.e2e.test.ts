/** Time travel and event evolution: history is folded from the log, and old event versions still read. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openThrds } from '../../src/openThrds.ts';
import { currentSchemaVersion } from '../../src/modules/index.ts';
import { storeKinds } from '../support/databases.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';

const kinds = await storeKinds();

describe.each(kinds)('history on %s', (kind) => {
  let server: TestServer;
  let token: string;
  let userId: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    ({ token, id: userId } = await signUp(server, 'historian'));
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('shows a thread as it was at a past position, folded from the log', async () => {
    const created = (await server.ok(CREATE_THREAD, { title: 'Then and now' }, token)).createThread;
    const posts: Array<{ position: string; message: { id: string } }> = [];
    for (const body of ['one', 'two', 'three']) posts.push((await server.ok(POST, { t: created.thread.id, b: body }, token)).postMessage);
    const q = `query ($id: ID!, $asOf: Position) { thread(id: $id, asOf: $asOf) {
      title messageCount position messages(last: 10) { edges { node { id body } } } } }`;
    const then = (await server.ok(q, { id: created.thread.id, asOf: posts[1]!.position })).thread;
    expect(then).toMatchObject({ title: 'Then and now', messageCount: 2, position: posts[1]!.position });
    expect(then.messages.edges.map((e: any) => e.node.body)).toEqual(['one', 'two']);
    const now = (await server.ok(q, { id: created.thread.id })).thread;
    expect(now.messageCount).toBe(3);
    const before = (await server.ok(q, { id: created.thread.id, asOf: String(Number(created.position) - 1) })).thread;
    expect(before).toBeNull();
  });

  it('still reads, replays and displays MessagePosted v1 events, which had no format', async () => {
    const created = (await server.ok(CREATE_THREAD, { title: 'Old events' }, token)).createThread;
    const thrds = await openThrds({ databaseUrl: server.database.url });
    const messageId = '11111111-2222-4333-8444-555555555555';
    let legacyPosition = 0;
    try {
      await thrds.store.append({
        streamId: `thread-${created.thread.id}`,
        events: [{ type: 'MessagePosted', schemaVersion: 1, data: { messageId, threadId: created.thread.id, body: 'written by v1', replyToId: null } }],
        metadata: { actorId: userId, correlationId: 'legacy', causationId: null },
      });
      const stored = await thrds.store.readAll({ streamId: `thread-${created.thread.id}`, types: ['MessagePosted'], stored: true });
      expect(stored[0]).toMatchObject({ schemaVersion: 1, data: { body: 'written by v1' } });
      expect(stored[0]!.data).not.toHaveProperty('format');
      legacyPosition = stored[0]!.position;
    } finally {
      await thrds.close();
    }
    const view = await server.ok('query ($id: ID!) { thread(id: $id) { messages(last: 1) { edges { node { id body format } } } } }', { id: created.thread.id });
    expect(view.thread.messages.edges[0].node).toEqual({ id: messageId, body: 'written by v1', format: 'PLAIN' });
    const events = await server.ok('query ($s: ID!) { events(streamId: $s, types: ["MessagePosted"]) { schemaVersion data } }', { s: `thread-${created.thread.id}` });
    expect(events.events).toEqual([{ schemaVersion: currentSchemaVersion.MessagePosted, data: { messageId, threadId: created.thread.id, body: 'written by v1', replyToId: null, format: 'plain', attachments: [] } }]);
    const then = await server.ok('query ($id: ID!, $p: Position) { thread(id: $id, asOf: $p) { messages { edges { node { format } } } } }', {
      id: created.thread.id,
      p: String(legacyPosition),
    });
    expect(then.thread.messages.edges).toEqual([{ node: { format: 'PLAIN' } }]);
  });
});
