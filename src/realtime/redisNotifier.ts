/**
 * Fan-out across server instances. Each instance already finds commits made
 * by others by polling the log; with Redis, an instance that commits
 * publishes the new head position and every other instance looks at once.
 * Redis carries only "look now": the events themselves are always read from
 * the log, so a lost or late notification delays delivery, never loses it.
 * It also carries "sessions of user U ended", so a logout on one instance
 * closes that user's WebSockets on every instance at once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { EventStore } from '../events/eventStore.ts';
import type { LogFeed } from '../events/logFeed.ts';
import type { SessionCache } from '../accounts/sessions.ts';
import { dependencyLog } from '../observability/dependencyLog.ts';

export interface RedisNotifier {
  /** Both connections are up (metrics: while not, instances find each other's events by polling). */
  readonly connected: boolean;
  close(): Promise<void>;
}

/** One channel per log: instances of the same database share it, other deployments do not. */
export function channelFor(databaseUrl: string): string {
  return `thrds:log:${createHash('sha256').update(databaseUrl).digest('hex').slice(0, 16)}`;
}

export async function startRedisNotifier(redisUrl: string, channel: string, store: EventStore, feed: LogFeed, sessions?: SessionCache): Promise<RedisNotifier> {
  const instance = randomUUID();
  const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false };
  const publisher = new Redis(redisUrl, options);
  const subscriber = new Redis(redisUrl, options);
  // Down: instances fall back to polling the log. Logged once when it goes, at most once a second while it stays down, once when it is back.
  const redis = dependencyLog('redis');
  const publishing = redis.part('publisher');
  const subscribing = redis.part('subscriber');
  const warn = (error: Error) => publishing.failed(error);
  publisher.on('error', warn).on('ready', () => publishing.ok());
  subscriber.on('error', (error: Error) => subscribing.failed(error)).on('ready', () => subscribing.ok());
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (error) {
    // Not kept retrying in the background: the caller goes on without the notifier.
    publisher.disconnect();
    subscriber.disconnect();
    throw error;
  }

  subscriber.on('message', (_channel: string, message: string) => {
    if (message.startsWith(`${instance}:`)) return;
    const revokedUser = /^[^:]+:revoked:(.+)$/.exec(message)?.[1];
    if (revokedUser !== undefined) sessions?.revoked(revokedUser, false);
    else feed.poke();
  });
  await subscriber.subscribe(channel);

  const unsubscribe = store.onCommitted((events) => {
    const last = events.at(-1);
    if (last) publisher.publish(channel, `${instance}:${last.position}`).catch(warn);
  });

  const stopRevocations = sessions?.onRevoked((userId, here) => {
    if (here) publisher.publish(channel, `${instance}:revoked:${userId}`).catch(warn);
  });

  return {
    get connected() {
      return publisher.status === 'ready' && subscriber.status === 'ready';
    },
    async close() {
      unsubscribe();
      stopRevocations?.();
      subscriber.disconnect();
      await publisher.quit().catch(() => publisher.disconnect());
    },
  };
}
