/**
 * Typing states: set, renewed, expired by themselves, ended by a post (seen
 * in the log feed), watched as one object per change, and across instances
 * through a real Redis.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/events/types.ts';
import type { TypingService, TypingSnapshot } from '../../src/presence/presenceTypes.ts';
import { startTyping, type TypingOptions } from '../../src/presence/typingService.ts';
import { REDIS_URL, redisReachable } from '../support/redis.ts';
import { waitFor } from '../support/waitFor.ts';

const withRedis = await redisReachable();
const THREAD = '00000000-0000-4000-8000-0000000000bb';

/** The one thing typing needs from the log feed: its runs of new events. */
function feed() {
  const listeners = new Set<(events: readonly StoredEvent[]) => void>();
  return {
    onAdvance(listener: (events: readonly StoredEvent[]) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    advance(events: readonly StoredEvent[]) {
      for (const listener of listeners) listener(events);
    },
  };
}

function posted(threadId: string, actorId: string): StoredEvent {
  return {
    position: 1,
    eventId: randomUUID(),
    type: 'MessagePosted',
    schemaVersion: 1,
    streamId: `thread-${threadId}`,
    streamVersion: 2,
    recordedAt: Date.now(),
    data: { messageId: randomUUID(), threadId, body: 'hi', replyToId: null },
    metadata: { actorId, correlationId: 'test', causationId: null },
    hash: '',
  } as unknown as StoredEvent;
}

const services: TypingService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
});

function typing(options: Partial<TypingOptions> = {}) {
  const log = feed();
  const service = startTyping({ namespace: `thrds:test:${randomUUID()}`, feed: log, ...options });
  services.push(service);
  return { service, log };
}

function reader(iterator: AsyncIterableIterator<TypingSnapshot>): TypingSnapshot[] {
  const seen: TypingSnapshot[] = [];
  void (async () => {
    for await (const value of iterator) seen.push(value);
  })();
  return seen;
}

describe('typing', () => {
  it('lists who is typing in the order they started; a renewal keeps the place and sends nothing', async () => {
    const { service } = typing();
    const seen = reader(service.watch(THREAD));
    service.set(THREAD, 'alice', true);
    service.set(THREAD, 'bob', true);
    await waitFor(() => seen.at(-1)?.userIds.length === 2, { what: 'two typing' });
    const count = seen.length;
    service.set(THREAD, 'alice', true);
    expect(service.snapshot(THREAD)).toBe(seen.at(-1));
    expect(service.snapshot(THREAD).userIds).toEqual(['alice', 'bob']);
    service.set(THREAD, 'alice', false);
    await waitFor(() => seen.at(-1)?.userIds.join() === 'bob', { what: 'alice stopped' });
    expect(seen.length).toBe(count + 1);
  });

  it('gives every watcher of a thread the same object per change', async () => {
    const { service } = typing();
    const a = reader(service.watch(THREAD));
    const b = reader(service.watch(THREAD));
    service.set(THREAD, 'carol', true);
    await waitFor(() => a.at(-1)?.userIds.length === 1 && b.at(-1)?.userIds.length === 1, { what: 'carol typing on both' });
    expect(a.at(-1)).toBe(b.at(-1));
  });

  it('ends a state by itself once it is not renewed in time, and keeps one that is', async () => {
    const { service } = typing({ expiresMs: 300 });
    service.set(THREAD, 'dora', true);
    service.set(THREAD, 'erin', true);
    const renew = setInterval(() => service.set(THREAD, 'erin', true), 100);
    try {
      await waitFor(() => service.snapshot(THREAD).userIds.join() === 'erin', { what: 'dora expired', timeoutMs: 2000 });
    } finally {
      clearInterval(renew);
    }
    await waitFor(() => service.snapshot(THREAD).userIds.length === 0, { what: 'erin expired', timeoutMs: 2000 });
  });

  it("ends the author's typing in the thread they post to, and nobody else's", () => {
    const { service, log } = typing();
    const other = '00000000-0000-4000-8000-0000000000cc';
    service.set(THREAD, 'frank', true);
    service.set(THREAD, 'gina', true);
    service.set(other, 'frank', true);
    log.advance([posted(THREAD, 'frank')]);
    expect(service.snapshot(THREAD).userIds).toEqual(['gina']);
    expect(service.snapshot(other).userIds).toEqual(['frank']);
  });
});

describe.runIf(withRedis)('typing across instances through Redis', () => {
  it('shows typing set on one instance on the other, and each instance expires it by itself', async () => {
    const namespace = `thrds:test:${randomUUID()}`;
    const a = typing({ redisUrl: REDIS_URL, namespace, expiresMs: 500 }).service;
    const b = typing({ redisUrl: REDIS_URL, namespace, expiresMs: 500 }).service;
    const seen = reader(b.watch(THREAD));
    // Both subscribed: a notice published before B listens is lost (a renewal would bring it).
    await waitFor(
      async () => {
        a.set(THREAD, 'hank', true);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return b.snapshot(THREAD).userIds.includes('hank');
      },
      { what: 'hank typing on instance B' },
    );
    a.set(THREAD, 'hank', false);
    await waitFor(() => b.snapshot(THREAD).userIds.length === 0, { what: 'hank stopped on B' });
    a.set(THREAD, 'ivy', true);
    await waitFor(() => b.snapshot(THREAD).userIds.includes('ivy'), { what: 'ivy typing on B' });
    await waitFor(() => b.snapshot(THREAD).userIds.length === 0, { what: 'ivy expired on B', timeoutMs: 2000 });
    // Watchers hear of it on the coalescer's next turn, a moment after the snapshot changed.
    await waitFor(() => seen.at(-1)?.userIds.length === 0, { what: "B's watcher told ivy stopped", timeoutMs: 2000 });
  });
});
