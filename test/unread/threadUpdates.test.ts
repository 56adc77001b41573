/** The myThreads hub (threadUpdates.ts): shared update objects, READ to its user only, a bounded queue; as given/when/then. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_QUEUED, startThreadUpdates, ThreadUpdates } from '../../src/unread/threadUpdates.ts';
import { OwnRedis } from '../support/ownRedis.ts';
import { waitFor } from '../support/waitFor.ts';
import type { StoredEvent } from '../../src/events/types.ts';

const threadId = 'a0000000-0000-4000-8000-00000000000a';
const messageId = 'b0000000-0000-4000-8000-00000000000b';
const event = (position: number, type: string, data: Record<string, unknown>): StoredEvent =>
  ({ position, type, data, schemaVersion: type === 'MessagePosted' ? 3 : 1, streamId: `thread-${threadId}`, streamVersion: position, eventId: `e${position}`, metadata: { actorId: null, correlationId: 'test', causationId: null }, recordedAt: position }) as unknown as StoredEvent;

describe('ThreadUpdates', () => {
  const feed = () => {
    let listener: (events: readonly StoredEvent[]) => void = () => {};
    return { onAdvance: (l: typeof listener) => ((listener = l), () => {}), advance: (events: readonly StoredEvent[]) => listener(events) };
  };

  it('given two watchers, when a message is posted, then both get the very same update object; a reaction sends nothing', async () => {
    const source = feed();
    const hub = new ThreadUpdates(source);
    const [ana, bob] = [hub.watch('ana'), hub.watch('bob')];
    source.advance([event(3, 'ReactionAdded', { messageId, threadId, emoji: '🎉' }), event(4, 'MessagePosted', { messageId, threadId, body: 'x', replyToId: null, format: 'plain' })]);
    const [a, b] = await Promise.all([ana.next(), bob.next()]);
    expect(a.value).toEqual({ threadId, position: 4, reason: 'MESSAGE_POSTED' });
    expect(a.value).toBe(b.value);
    await hub.close();
  });

  it('given two users watching, when one marks a thread read, then only that user hears of it', async () => {
    const hub = new ThreadUpdates(feed());
    const [ana, bob] = [hub.watch('ana'), hub.watch('bob')];
    hub.markedRead('ana', threadId, 9);
    expect((await ana.next()).value).toEqual({ threadId, position: 9, reason: 'READ' });
    await bob.return();
    expect(hub.stats.watchers).toBe(1);
    await hub.close();
    expect(await ana.next()).toEqual({ value: undefined, done: true });
  });

  it('given a watcher that does not read, when more updates come than it may hold, then the oldest of the same thread go first and the newest stays', async () => {
    const source = feed();
    const hub = new ThreadUpdates(source);
    const slow = hub.watch('ana');
    const other = 'c0000000-0000-4000-8000-00000000000c';
    source.advance([event(1, 'ThreadCreated', { threadId: other, title: 't' })]);
    for (let p = 2; p < MAX_QUEUED + 12; p += 1) source.advance([event(p, 'MessagePosted', { messageId, threadId, body: 'x', replyToId: null, format: 'plain' })]);
    const held = [];
    for (let i = 0; i < MAX_QUEUED; i += 1) held.push((await slow.next()).value);
    expect(held[0]).toMatchObject({ threadId: other, position: 1 });
    expect(held.at(-1)).toMatchObject({ threadId, position: MAX_QUEUED + 11 });
    expect(hub.stats.dropped).toBe(11);
    await hub.close();
  });

  it('given Redis down when two instances start, when it comes back, then a marker moved on one reaches its user on the other', async () => {
    const redis = await OwnRedis.start();
    await redis.stop();
    const namespace = `thrds:test:${randomUUID()}`;
    const [a, b] = [startThreadUpdates({ feed: feed(), redisUrl: redis.url, namespace }), startThreadUpdates({ feed: feed(), redisUrl: redis.url, namespace })];
    try {
      await Promise.all([a.ready, b.ready]);
      const ana = a.watch('ana');
      await redis.start();
      // Until both have reconnected and subscribed, a move is heard on its own instance only: moved again until it crosses.
      let position = 0;
      const crossed = ana.next();
      await waitFor(
        async () => {
          b.markedRead('ana', threadId, (position += 1));
          return Promise.race([crossed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100))]);
        },
        { what: "a READ from instance B on ana's watch on instance A", timeoutMs: 15_000 },
      );
      expect((await crossed).value).toMatchObject({ threadId, reason: 'READ' });
    } finally {
      await Promise.all([a.close(), b.close()]);
      await redis.dispose();
    }
  });
});
