/**
 * The presence service on one instance, and across instances through a real
 * Redis (each test in a namespace of its own): watchers share one snapshot
 * object per change, updates are coalesced, an instance's part reaches the
 * others, a dead one's expires, and a Redis outage falls back to this
 * instance's own count and recovers.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startPresence } from '../../src/presence/presenceService.ts';
import type { PresenceService, PresenceSnapshot } from '../../src/presence/presenceTypes.ts';
import { captureLogs } from '../support/captureLogs.ts';
import { OwnRedis, ownRedisUnavailable } from '../support/ownRedis.ts';
import { REDIS_URL, redisReachable } from '../support/redis.ts';
import { waitFor } from '../support/waitFor.ts';

const withRedis = await redisReachable();
const withOwnRedis = (await ownRedisUnavailable()) === undefined;
const THREAD = '00000000-0000-4000-8000-0000000000aa';

const services: PresenceService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
});

function presence(options: Partial<Parameters<typeof startPresence>[0]> = {}): PresenceService {
  const service = startPresence({ namespace: `thrds:test:${randomUUID()}`, ...options });
  services.push(service);
  return service;
}

/** Reads a watcher in the background, keeping every value it yields. */
function reader(iterator: AsyncIterableIterator<PresenceSnapshot>): PresenceSnapshot[] {
  const seen: PresenceSnapshot[] = [];
  void (async () => {
    for await (const value of iterator) seen.push(value);
  })();
  return seen;
}

describe('presence on one instance', () => {
  it('gives every watcher of a scope the same snapshot object, first the value now, then each change', async () => {
    const service = presence();
    service.connect('alice');
    const a = reader(service.watch());
    const b = reader(service.watch());
    await waitFor(() => a.length === 1 && b.length === 1, { what: 'the value now' });
    expect(a[0]).toBe(b[0]);
    expect(a[0]).toMatchObject({ people: 1, connections: 1 });
    service.connect('bob');
    await waitFor(() => a.length === 2 && b.length === 2, { what: 'the change', seen: () => `${a.length}, ${b.length}` });
    expect(a[1]).toBe(b[1]);
    expect(a[1]).toEqual({ people: 2, connections: 2, userIds: ['alice', 'bob'] });
    expect(service.snapshot()).toBe(a[1]);
  });

  it('coalesces a thousand people joining and leaving into a few updates, the last one exact', async () => {
    const service = presence();
    const seen = reader(service.watch());
    const thread = reader(service.watch(THREAD));
    await waitFor(() => seen.length === 1 && thread.length === 1, { what: 'the values now' });
    const started = performance.now();
    const tabs = Array.from({ length: 1000 }, (_, i) => service.connect(`user-${i}`));
    for (const tab of tabs.slice(0, 500)) tab.open(THREAD);
    for (const tab of tabs.slice(0, 400)) tab.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await waitFor(() => seen.at(-1)?.connections === 600 && thread.at(-1)?.connections === 100, { what: 'the final counts', seen: () => JSON.stringify(seen.at(-1)) });
    expect(seen.length).toBeLessThanOrEqual(3);
    expect(seen.at(-1)).toMatchObject({ people: 600, connections: 600 });
    expect(service.stats.updatesSent).toBe(seen.length - 1 + thread.length - 1);
  });

  it('sends nothing when a change leaves the value as it was, and stops watching on return', async () => {
    const service = presence();
    const watch = service.watch();
    expect((await watch.next()).value).toMatchObject({ connections: 0 });
    service.connect(null).close();
    const next = watch.next();
    const tab = service.connect('carol');
    expect((await next).value).toMatchObject({ people: 1, connections: 1 });
    await watch.return?.();
    tab.close();
    expect(await watch.next()).toEqual({ value: undefined, done: true });
  });
});

describe.runIf(withRedis)('presence across instances through Redis', () => {
  it('unites two instances: two tabs of one user and one of another are 2 people and 3 connections on both', async () => {
    const namespace = `thrds:test:${randomUUID()}`;
    const a = presence({ redisUrl: REDIS_URL, namespace });
    const b = presence({ redisUrl: REDIS_URL, namespace });
    a.connect('alice').open(THREAD);
    b.connect('alice');
    b.connect('bob').open(THREAD);
    for (const service of [a, b]) {
      await waitFor(() => service.snapshot().connections === 3, { what: 'three connections', seen: () => JSON.stringify(service.snapshot()) });
      expect(service.snapshot()).toEqual({ people: 2, connections: 3, userIds: ['alice', 'bob'] });
      expect(service.snapshot(THREAD)).toMatchObject({ people: 2, connections: 2 });
      expect(service.stats.here.connections).toBeLessThan(3);
    }
  });

  it('pushes another instance’s change to a watcher within a second', async () => {
    const namespace = `thrds:test:${randomUUID()}`;
    const a = presence({ redisUrl: REDIS_URL, namespace });
    const b = presence({ redisUrl: REDIS_URL, namespace });
    const seen = reader(a.watch());
    await waitFor(() => b.stats.redisConnected && seen.length === 1, { what: 'both connected' });
    const joined = performance.now();
    b.connect('dora');
    await waitFor(() => seen.at(-1)?.people === 1, { what: 'dora on instance A', timeoutMs: 1000 });
    expect(performance.now() - joined).toBeLessThan(1000);
  });

  it('drops an instance that closes at once, and one that stops beating once its part expires', async () => {
    const namespace = `thrds:test:${randomUUID()}`;
    const a = presence({ redisUrl: REDIS_URL, namespace, ttlMs: 1500, beatMs: 300 });
    const leaving = startPresence({ redisUrl: REDIS_URL, namespace });
    leaving.connect('erin');
    await waitFor(() => a.snapshot().people === 1, { what: 'erin counted' });
    await leaving.close();
    await waitFor(() => a.snapshot().people === 0, { what: 'erin gone after the goodbye', timeoutMs: 1000 });
    // A dead instance: its part stays in Redis until it expires (written by hand, as a killed instance leaves it).
    const { Redis } = await import('ioredis');
    const raw = new Redis(REDIS_URL);
    await raw.multi().set(`${namespace}:presence:instance:dead`, JSON.stringify({ all: { connections: 2, users: { frank: 2 } }, threads: {} }), 'PX', 1000).sadd(`${namespace}:presence:instances`, 'dead').publish(`${namespace}:presence`, 'dead').exec();
    // A part this version cannot read (another release's, say) is skipped, not a crash.
    await raw.multi().set(`${namespace}:presence:instance:junk`, '{"all":{"connections":"many"}}', 'PX', 10_000).sadd(`${namespace}:presence:instances`, 'junk').exec();
    await waitFor(() => a.snapshot().people === 1, { what: 'frank counted' });
    expect(a.snapshot().connections).toBe(2);
    await waitFor(() => a.snapshot().people === 0, { what: 'the dead part expired', timeoutMs: 5000 });
    expect(await raw.sismember(`${namespace}:presence:instances`, 'dead')).toBe(0);
    raw.disconnect();
  });
});

describe.runIf(withOwnRedis)('presence when Redis goes down', () => {
  it('counts this instance only while Redis is down, logs the outage once, and counts every instance again once it is back', async () => {
    const redis = await OwnRedis.start();
    const logs = captureLogs('info');
    try {
      const namespace = `thrds:test:${randomUUID()}`;
      const a = presence({ redisUrl: redis.url, namespace, beatMs: 200 });
      const b = presence({ redisUrl: redis.url, namespace, beatMs: 200 });
      a.connect('gina');
      b.connect('hank');
      await waitFor(() => a.snapshot().people === 2, { what: 'both counted' });
      await redis.stop();
      await waitFor(() => a.snapshot().people === 1, { what: 'instance A counting itself only', seen: () => JSON.stringify(a.snapshot()) });
      expect(a.snapshot().userIds).toEqual(['gina']);
      await redis.start();
      await waitFor(() => a.snapshot().people === 2 && b.snapshot().people === 2, { what: 'both counted again', timeoutMs: 15_000 });
      // The process's one Redis log: once when it went, once when it was back, however many errors and beats the outage lasted.
      expect(logs.lines.filter((line) => /^redis down/.test(line.msg))).toHaveLength(1);
      await waitFor(() => logs.lines.some((line) => /^redis back/.test(line.msg)), { what: 'the recovery logged' });
      expect(logs.lines.filter((line) => /^redis back/.test(line.msg))).toHaveLength(1);
    } finally {
      logs.stop();
      await Promise.all(services.splice(0).map((service) => service.close()));
      await redis.stop();
    }
  });
});
