/**
 * Sessions' last write positions shared through a real Redis (the shared
 * one, under a namespace of this run's own): a position only rises, expires
 * after its TTL, is stored under a hash of the token (never the token), and
 * a Redis that does not answer gives "unknown" within the deadline rather
 * than a wrong answer or a hang.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedSessionPositions } from '../../src/db/sharedSessionPositions.ts';
import { REDIS_URL, redisReachable } from '../support/redis.ts';
import { waitFor } from '../support/waitFor.ts';

const reachable = await redisReachable();
const namespace = `thrds-test-rw-${randomUUID()}`;

describe.skipIf(!reachable)('session positions shared through Redis', () => {
  const client = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  afterAll(async () => {
    const keys = await client.keys(`${namespace}:*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  });

  it('a position only rises, whichever instance writes it, and is kept under a hash of the token', async () => {
    await client.connect();
    const [a, b] = [sharedSessionPositions(client, namespace), sharedSessionPositions(client, namespace)];
    const token = `secret-token-${randomUUID()}`;
    expect(await a.lastWrite(token)).toBe(0);
    expect(await a.wrote(token, 40)).toBe(true);
    expect(await b.lastWrite(token)).toBe(40);
    // Another instance that committed less (its own last commit) does not lower it.
    expect(await b.wrote(token, 12)).toBe(true);
    expect(await a.lastWrite(token)).toBe(40);
    expect(await b.wrote(token, 41)).toBe(true);
    expect(await a.lastWrite(token)).toBe(41);
    // Other sessions are their own.
    expect(await a.lastWrite(`${token}-other`)).toBe(0);
    const keys = await client.keys(`${namespace}:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(token);
  });

  it('forgets a position its TTL after the last write', async () => {
    const positions = sharedSessionPositions(client, namespace, { ttlMs: 300 });
    const token = randomUUID();
    await positions.wrote(token, 7);
    expect(await positions.lastWrite(token)).toBe(7);
    await waitFor(async () => (await positions.lastWrite(token)) === 0, { what: 'the position to expire', timeoutMs: 5_000 });
  });

  it('says "unknown" within its deadline when Redis does not answer', async () => {
    // A port that accepts connections and never answers: the worst kind of Redis outage.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const mute = new Redis({ host: '127.0.0.1', port, lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: 1, connectTimeout: 60_000 });
    mute.on('error', () => undefined);
    void mute.connect().catch(() => undefined);
    try {
      const positions = sharedSessionPositions(mute, namespace, { deadlineMs: 100 });
      const started = performance.now();
      expect(await positions.lastWrite('anyone')).toBeUndefined();
      expect(await positions.wrote('anyone', 3)).toBe(false);
      // Two calls, each bounded by the deadline (not by Redis' own timeouts, a minute here).
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      mute.disconnect();
      silent.close();
    }
  });
});
