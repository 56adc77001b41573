/**
 * Several server instances on one log: a subscriber on one instance gets
 * what is posted on another. With Redis at once; without it, by polling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, mariadbReachable, type TestDatabase } from '../support/databases.ts';
import { relaxedProtection } from '../support/protection.ts';
import { REDIS_URL, redisReachable } from '../support/redis.ts';
import { collect, CREATE_THREAD, POST, signUp, startTestServer, THREAD_EVENTS, type TestServer } from '../support/server.ts';

const withRedis = await redisReachable();
const kind = (await mariadbReachable()) ? 'mariadb' : 'sqlite';

describe(`two instances on one ${kind} log`, () => {
  let database: TestDatabase;
  let servers: TestServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.dispose();
    await database.drop();
  });
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });

  it.runIf(withRedis)('delivers a message posted on instance A to a subscriber on instance B at once through Redis', async () => {
    // Polling every 60 s: only the Redis notification can explain a delivery within the timeout.
    const a = await startTestServer(kind, database, { redisUrl: REDIS_URL, pollMs: 60_000 });
    const b = await startTestServer(kind, database, { redisUrl: REDIS_URL, pollMs: 60_000 });
    servers.push(a, b);
    const { token } = await signUp(a, 'twin');
    const thread = (await a.ok(CREATE_THREAD, { title: 'Across instances' }, token)).createThread.thread;
    const sub = collect<{ threadEvents: { message: { body: string } } }>(b.wsClient(), THREAD_EVENTS, { t: thread.id, after: thread.position }, (items) => items.length >= 5, 10_000);
    for (let i = 0; i < 5; i += 1) await a.ok(POST, { t: thread.id, b: `from A ${i}` }, token);
    expect((await sub.done).map((r) => r.threadEvents.message.body)).toEqual(Array.from({ length: 5 }, (_, i) => `from A ${i}`));
  });

  it.runIf(withRedis)('closes with 4403 within a second the WebSockets on instance B of a token logged out on instance A', async () => {
    const a = await startTestServer(kind, database, { redisUrl: REDIS_URL });
    const b = await startTestServer(kind, database, { redisUrl: REDIS_URL });
    servers.push(a, b);
    const { token } = await signUp(a, 'roamer');
    let logoutSentAt = Number.POSITIVE_INFINITY;
    const closed = new Promise<{ code: number; afterLogoutMs: number }>((resolve, reject) => {
      const client = b.wsClient(token);
      client.on('closed', (event) => resolve({ code: (event as { code: number }).code, afterLogoutMs: performance.now() - logoutSentAt }));
      client.subscribe({ query: 'subscription { events { position } }' }, { next: () => {}, error: () => {}, complete: () => {} });
      client.on('connected', () => {
        logoutSentAt = performance.now();
        a.ok('mutation { logout }', {}, token).catch(reject);
      });
    });
    const outcome = await Promise.race([closed, new Promise<string>((resolve) => setTimeout(() => resolve('still open after 5 s'), 5000))]);
    expect(outcome).toMatchObject({ code: 4403 });
    expect((outcome as { afterLogoutMs: number }).afterLogoutMs).toBeLessThan(1000);
  });

  it.runIf(withRedis)('holds a rate limit across instances through Redis: 5 posts a minute, spent on A and B, refuse the 6th', async () => {
    const relaxed = relaxedProtection();
    const protection = relaxedProtection({ rates: { ...relaxed.rates, postsPerUser: { points: 5, durationSeconds: 60 } } });
    const a = await startTestServer(kind, database, { redisUrl: REDIS_URL, protection });
    const b = await startTestServer(kind, database, { redisUrl: REDIS_URL, protection });
    servers.push(a, b);
    const { token } = await signUp(a, 'limited');
    const thread = (await a.ok(CREATE_THREAD, { title: 'Counted everywhere' }, token)).createThread.thread;
    for (let i = 0; i < 5; i += 1) await (i % 2 === 0 ? a : b).ok(POST, { t: thread.id, b: `post ${i}` }, token);
    for (const server of [a, b]) {
      const refused = await server.gql(POST, { t: thread.id, b: 'one too many' }, token);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    }
    const count = await a.ok<{ thread: { messageCount: number } }>('query ($id: ID!) { thread(id: $id) { messageCount } }', { id: thread.id });
    expect(count.thread.messageCount).toBe(5);
  });

  it('delivers across instances without Redis by polling the log', async () => {
    const a = await startTestServer(kind, database, { pollMs: 100 });
    const b = await startTestServer(kind, database, { pollMs: 100 });
    servers.push(a, b);
    const { token } = await signUp(b, 'poller');
    const thread = (await b.ok(CREATE_THREAD, { title: 'Polled' }, token)).createThread.thread;
    const sub = collect<{ threadEvents: { message: { body: string } } }>(a.wsClient(), THREAD_EVENTS, { t: thread.id, after: thread.position }, (items) => items.length >= 3);
    for (let i = 0; i < 3; i += 1) await b.ok(POST, { t: thread.id, b: `from B ${i}` }, token);
    expect((await sub.done).map((r) => r.threadEvents.message.body)).toEqual(['from B 0', 'from B 1', 'from B 2']);
  });
});
