/**
 * The presence service (presenceTypes.ts): this instance's connections
 * (localPresence.ts), the other instances' parts when there is Redis
 * (redisPresence.ts), and the watchers of each scope. A snapshot is taken
 * once per scope and change and kept until the next change, so every
 * watcher, and every query in between, gets the same object; watchers hear
 * of changes at most 4 times a second per scope (coalesce.ts), and only
 * when the value really differs from the last one sent.
 */
import { randomUUID } from 'node:crypto';
import { Broadcast } from './broadcast.ts';
import { type Coalescer, coalesce } from './coalesce.ts';
import { LocalPresence } from './localPresence.ts';
import { EMPTY_PRESENCE, samePresence, snapshotOf } from './presenceCounts.ts';
import type { PresenceService, PresenceSnapshot } from './presenceTypes.ts';
import { type PresenceShare, sharePresence } from './redisPresence.ts';

export interface PresenceOptions {
  /** Share presence with the other instances of this log through Redis; without it, this instance counts its own. */
  readonly redisUrl?: string | undefined;
  /** The log's channel (realtime/redisNotifier.ts channelFor). */
  readonly namespace: string;
  /** This instance, among the others (default: a fresh UUID). */
  readonly instanceId?: string;
  /** At most one update per scope per this many ms (default 250). */
  readonly coalesceMs?: number;
  /** How long an instance's part outlives its last heartbeat, and how often it beats (redisPresence.ts). */
  readonly ttlMs?: number;
  readonly beatMs?: number;
}

interface Watched {
  readonly broadcast: Broadcast<PresenceSnapshot>;
  readonly coalescer: Coalescer;
  last: PresenceSnapshot;
}

/** Scope keys: '' for the whole server, else the thread's id. */
const keyOf = (threadId?: string) => threadId ?? '';
const threadOf = (key: string) => (key === '' ? undefined : key);

export function startPresence(options: PresenceOptions): PresenceService {
  const cache = new Map<string, PresenceSnapshot>();
  const watched = new Map<string, Watched>();
  let updatesSent = 0;

  const changed = (key: string) => {
    cache.delete(key);
    watched.get(key)?.coalescer.poke();
  };
  const local = new LocalPresence((threadId) => {
    changed(keyOf(threadId));
    share?.changed();
  });
  const share: PresenceShare | undefined = options.redisUrl
    ? sharePresence({
        redisUrl: options.redisUrl,
        namespace: options.namespace,
        instanceId: options.instanceId ?? randomUUID(),
        local: () => local.toPart(),
        ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
        ...(options.beatMs === undefined ? {} : { beatMs: options.beatMs }),
        othersChanged: () => {
          cache.clear();
          for (const watch of watched.values()) watch.coalescer.poke();
        },
      })
    : undefined;

  const snapshot = (threadId?: string): PresenceSnapshot => {
    const key = keyOf(threadId);
    let found = cache.get(key);
    if (!found) {
      const others = [...(share?.others.values() ?? [])].map((part) => (threadId === undefined ? part.all : part.threads[threadId]));
      found = snapshotOf([local.scope(threadId), ...others]);
      // Kept for the whole server and for watched threads only: a query for each of ten thousand threads keeps nothing.
      if (key === '' || watched.has(key)) cache.set(key, found);
    }
    return found;
  };

  const watching = (key: string): Watched => {
    let watch = watched.get(key);
    if (!watch) {
      const broadcast = new Broadcast<PresenceSnapshot>(() => {
        watched.get(key)?.coalescer.stop();
        watched.delete(key);
        if (key !== '') cache.delete(key);
      });
      const coalescer = coalesce(() => {
        const now = snapshot(threadOf(key));
        const current = watched.get(key);
        if (!current || samePresence(now, current.last)) return;
        current.last = now;
        updatesSent += broadcast.publish(now);
      }, options.coalesceMs);
      watch = { broadcast, coalescer, last: EMPTY_PRESENCE };
      watched.set(key, watch);
      watch.last = snapshot(threadOf(key));
    }
    return watch;
  };

  return {
    connect: (userId) => local.connect(userId),
    snapshot,
    watch(threadId) {
      const watch = watching(keyOf(threadId));
      return watch.broadcast.watch(() => snapshot(threadId));
    },
    get stats() {
      return { here: snapshotOf([local.scope()]), all: snapshot(), updatesSent, redisConnected: share?.connected };
    },
    async close() {
      for (const watch of [...watched.values()]) {
        watch.coalescer.stop();
        watch.broadcast.end();
      }
      await share?.close();
    },
  };
}
