/**
 * Presence and typing across server instances sharing one log and one
 * Redis: two tabs of one user on instance A and one of another on B are 2
 * people and 3 connections on both; typing set on A reaches a subscriber on
 * B within a second; and an instance killed with SIGKILL (its own process,
 * no goodbye) drops out of the other's count within 30 s.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, mariadbReachable, type TestDatabase } from '../support/databases.ts';
import { REDIS_URL, redisReachable } from '../support/redis.ts';
import { CREATE_THREAD, signUp, startTestServer, type TestServer } from '../support/server.ts';
import { graphqlClient } from '../support/graphqlClient.ts';
import { ServerProcess } from '../support/serverProcess.ts';
import { waitFor } from '../support/waitFor.ts';
import { live, PRESENCE, SET_TYPING, TYPING } from './presenceQueries.ts';

const withRedis = await redisReachable();
// Two processes on one SQLite file would work too; MariaDB is what several instances run on.
const kind = (await mariadbReachable()) ? 'mariadb' : 'sqlite';
const ONLINE = '{ online { people connections users { username } } }';

describe.runIf(withRedis)(`instances sharing a ${kind} log and Redis`, () => {
  let database: TestDatabase;
  const servers: TestServer[] = [];
  const clients: Client[] = [];
  let child: ServerProcess | undefined;
  const dropLater: TestDatabase[] = [];
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await child?.stop();
    for (const server of servers) await server.dispose();
    for (const db of [database, ...dropLater]) await db.drop();
  });

  const tab = (server: TestServer, token?: string) => {
    const client = server.wsClient(token);
    clients.push(client);
    return client;
  };
  const onlineAt = (server: TestServer) => server.ok<{ online: { people: number; connections: number; users: Array<{ username: string }> } }>(ONLINE).then((data) => data.online);

  it('counts two tabs of one user on instance A and one of another on B as 2 people and 3 connections on both, and shares typing', async () => {
    const a = await startTestServer(kind, database, { redisUrl: REDIS_URL });
    const b = await startTestServer(kind, database, { redisUrl: REDIS_URL });
    servers.push(a, b);
    const alice = await signUp(a, 'alice');
    const bob = await signUp(b, 'bob');
    const thread = (await a.ok(CREATE_THREAD, { title: 'Across instances' }, alice.token)).createThread.thread.id;
    live(tab(a, alice.token), PRESENCE);
    live(tab(a, alice.token), PRESENCE);
    const bobSees = live<{ typing: { users: Array<{ username: string }> } }>(tab(b, bob.token), TYPING, { t: thread });
    for (const server of [a, b]) {
      await waitFor(async () => (await onlineAt(server)).connections === 3, { what: 'three connections on each instance' });
      expect(await onlineAt(server)).toEqual({ people: 2, connections: 3, users: [{ username: 'alice' }, { username: 'bob' }] });
    }
    await waitFor(() => bobSees.items.length > 0, { what: 'the typing value now' });
    const sent = performance.now();
    await a.ok(SET_TYPING, { t: thread, on: true }, alice.token);
    await waitFor(() => bobSees.items.at(-1)?.typing.users.length === 1, { what: 'alice typing on B', timeoutMs: 1000 });
    expect(performance.now() - sent).toBeLessThan(1000);
  });

  it('drops an instance killed with SIGKILL out of the count within 30 s', { timeout: 60_000 }, async () => {
    // A log (and so a Redis namespace) of its own: nobody else's connections in the count.
    const own = await createTestDatabase(kind);
    const a = await startTestServer(kind, own, { redisUrl: REDIS_URL });
    servers.push(a);
    dropLater.push(own);
    child = await ServerProcess.start({ databaseUrl: own.url, env: { REDIS_URL } });
    const doomed = createClient({ url: `ws://127.0.0.1:${child.port}/graphql`, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
    clients.push(doomed);
    live(doomed, PRESENCE);
    live(doomed, PRESENCE);
    live(createClientFor(child.port, clients), PRESENCE);
    let seenThere = '';
    const there = graphqlClient(`${child.base}/graphql`);
    await waitFor(
      async () => {
        seenThere = JSON.stringify(await there.ok(ONLINE));
        return (await onlineAt(a)).connections === 2;
      },
      { what: 'the other process’s two connections on A', seen: () => `there: ${seenThere}\n${child!.output(20)}` },
    );
    child.signal('SIGKILL');
    const killed = performance.now();
    await child.exited;
    await waitFor(async () => (await onlineAt(a)).connections === 0, { what: 'the killed instance to drop out', timeoutMs: 35_000, intervalMs: 250 });
    expect(performance.now() - killed).toBeLessThan(30_000);
  });
});

function createClientFor(port: number, clients: Client[]): Client {
  const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
  clients.push(client);
  return client;
}
