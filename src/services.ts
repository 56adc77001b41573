/**
 * What every transport's resolvers get: the opened log (openThrds.ts) with
 * the caches, the clock and id source, and the protection settings and
 * counters. The server builds it once; tests that drive one transport alone
 * build it the same way.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { SessionCache } from './accounts/sessions.ts';
import type { Thrds } from './openThrds.ts';
import { ReadCache } from './projections/readCache.ts';
import type { ProtectionConfig } from './protection/protectionConfig.ts';
import { createRateLimits } from './protection/rateLimits.ts';
import { startPresence } from './presence/presenceService.ts';
import { startTyping } from './presence/typingService.ts';
import { startThreadUpdates } from './unread/threadUpdates.ts';
import { channelFor } from './realtime/redisNotifier.ts';
import type { Services } from './schema/context.ts';
import { type Attachments, createAttachments } from './attachments/attachments.ts';
import { startBotDrafts } from './bots/botDrafts.ts';
import { ReadRouting, routedDatabase } from './db/readRouting.ts';
import { sharedSessionPositions } from './db/sharedSessionPositions.ts';

/**
 * With `redis`, the rate counters are shared by every instance of this log (memory otherwise); with
 * `presenceRedisUrl`, presence and typing too (they open connections of their own: a subscriber each).
 * Whoever builds services closes `presence`, `typing` and `botDrafts` when done.
 */
export function createServices(thrds: Thrds, protection: ProtectionConfig, redis?: Redis, presenceRedisUrl?: string, attachments: Attachments = createAttachments()): Services {
  const namespace = channelFor(thrds.db.displayUrl);
  // With a replica, operations' reads are routed (queries to the replica); sessions and the read cache stay on the primary.
  // With Redis too, every instance knows each session's last write (read-your-writes whichever instance answers).
  const reads = thrds.replica ? new ReadRouting(thrds.replica, thrds.store, redis ? sharedSessionPositions(redis, namespace) : undefined) : undefined;
  return {
    store: thrds.store,
    db: reads ? routedDatabase(thrds.db) : thrds.db,
    reads,
    feed: thrds.feed,
    clock: Date.now,
    newId: randomUUID,
    readCache: new ReadCache(thrds.db),
    sessions: new SessionCache(thrds.db, protection),
    rateLimits: createRateLimits(protection.rates, redis ? { client: redis, namespace } : undefined),
    protection,
    presence: startPresence({ redisUrl: presenceRedisUrl, namespace }),
    typing: startTyping({ redisUrl: presenceRedisUrl, namespace, feed: thrds.feed }),
    threadUpdates: startThreadUpdates({ redisUrl: presenceRedisUrl, namespace, feed: thrds.feed }),
    attachments,
    botDrafts: startBotDrafts({ redisUrl: presenceRedisUrl, namespace }),
  };
}
