/** The server as an operator runs it: a process that stops cleanly on SIGTERM and loses nothing it acknowledged. */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openThrds } from '../../src/openThrds.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { graphqlClient } from '../support/graphqlClient.ts';
import { ServerProcess } from '../support/serverProcess.ts';
import { waitFor } from '../support/waitFor.ts';

const POST_ONE = 'mutation ($i: PostMessageInput!) { postMessage(input: $i) { message { id } } }';

describe('the server process', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('answers /healthz, then on SIGTERM finishes in-flight appends, closes sockets and exits 0', async () => {
    const server = await ServerProcess.start({ databaseUrl: database.url });
    onTestFinished(() => server.stop().then(() => undefined));
    const { ok } = graphqlClient(`${server.base}/graphql`);
    const token = (await ok<{ register: { token: string } }>('mutation { register(input: { username: "operator", password: "password1", displayName: "Op" }) { token } }')).register.token;
    const threadId = (await ok<{ createThread: { thread: { id: string } } }>('mutation { createThread(input: { title: "Before shutdown" }) { thread { id } } }', {}, token)).createThread.thread.id;

    // Eight posters, each always with one post outstanding, so SIGTERM lands while posts are in flight.
    const acknowledged: string[] = [];
    let sent = 0;
    const poster = async () => {
      while (sent < 40) {
        sent += 1;
        const reply = await ok<{ postMessage: { message: { id: string } } }>(POST_ONE, { i: { threadId, body: `m${sent}` } }, token).catch(() => null);
        if (!reply) return;
        acknowledged.push(reply.postMessage.message.id);
      }
    };
    const posters = Array.from({ length: 8 }, poster);
    await waitFor(() => acknowledged.length >= 5, { what: '5 of 40 posts to be acknowledged before SIGTERM' });
    server.signal('SIGTERM');
    const exit = await server.exited;
    expect(exit.code, server.output()).toBe(0);
    await Promise.all(posters);

    const thrds = await openThrds({ databaseUrl: database.url });
    try {
      const rows = await thrds.db.query<{ id: string }>('SELECT id FROM messages WHERE thread_id = ?', [threadId]);
      const stored = new Set(rows.map((r) => r.id));
      for (const id of acknowledged) expect(stored.has(id)).toBe(true);
    } finally {
      await thrds.close();
    }
  });
});
