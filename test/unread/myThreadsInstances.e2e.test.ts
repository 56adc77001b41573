/**
 * myThreads across two instances of one log with Redis: a markRead answered
 * by instance B reaches the same user's subscription on instance A (a read
 * marker is not an event: only the hub's pub/sub can carry it).
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { channelFor } from '../../src/realtime/redisNotifier.ts';
import { createTestDatabase, storeKinds } from '../support/databases.ts';
import { REDIS_URL, redisReachable } from '../support/redis.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';
import { MARK_READ, myThreadsOverSse, subscribed } from './support/unreadApi.ts';

const withRedis = await redisReachable();

describe.each(await storeKinds())('myThreads across instances on %s', (kind) => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it.runIf(withRedis)("delivers a markRead made on instance B to the reader's subscription on instance A", async () => {
    const database = await createTestDatabase(kind);
    cleanup.push(() => database.drop());
    const a: TestServer = await startTestServer(kind, database, { redisUrl: REDIS_URL });
    const b: TestServer = await startTestServer(kind, database, { redisUrl: REDIS_URL });
    cleanup.push(() => a.dispose(), () => b.dispose());

    // Both hubs listen on the log's channel before anything is published (they connect in the background).
    const db = await openDatabase(database.url);
    const channel = `${channelFor(db.displayUrl)}:reads`;
    await db.close();
    const redis = new Redis(REDIS_URL);
    cleanup.push(() => void redis.disconnect());
    await waitFor(async () => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]) >= 2, { what: `two subscribers on ${channel}` });

    const ana = await signUp(a, 'ana');
    const onA = myThreadsOverSse(a, ana.token);
    cleanup.push(() => onA.dispose());
    await subscribed(a, 1);
    const { thread } = (await b.ok(CREATE_THREAD, { title: 'Across' }, ana.token)).createThread as { thread: { id: string } };
    const { position } = (await b.ok(POST, { t: thread.id, b: 'from B' }, ana.token)).postMessage as { position: string };
    await onA.until('the post made on B', (u) => u.position === position);

    await b.ok(MARK_READ, { t: thread.id, p: position }, ana.token);
    const read = await onA.until('the READ made on B', (u) => u.reason === 'READ');
    expect(read).toMatchObject({ position, thread: { id: thread.id, lastReadPosition: position, unreadCount: 0 } });
  });
});
