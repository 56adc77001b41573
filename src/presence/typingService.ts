/**
 * Who is typing (presenceTypes.ts TypingService). A state lives in memory
 * on every instance with its own expiry timer: `set` applies it here and
 * publishes it on the log's typing channel when there is Redis, and each
 * other instance applies it with a timer of its own, so a dead instance's
 * states expire by themselves. A posted message ends its author's typing
 * in its thread: every instance sees the post in its log feed, so that
 * needs no message of its own.
 */
import { randomUUID } from 'node:crypto';
import type { LogFeed } from '../events/logFeed.ts';
import type { StoredEvent } from '../events/types.ts';
import { Broadcast } from './broadcast.ts';
import { type Coalescer, coalesce } from './coalesce.ts';
import type { TypingService, TypingSnapshot } from './presenceTypes.ts';
import { shareTyping, type TypingNotice, type TypingShare } from './redisTyping.ts';

/** A typing state not renewed for this long ends by itself. */
export const TYPING_EXPIRES_MS = 6_000;

export interface TypingOptions {
  readonly redisUrl?: string | undefined;
  /** The log's channel (realtime/redisNotifier.ts channelFor). */
  readonly namespace: string;
  readonly feed: Pick<LogFeed, 'onAdvance'>;
  readonly instanceId?: string;
  readonly expiresMs?: number;
  /** Watchers hear at most one change per thread per this many ms (default 250). */
  readonly coalesceMs?: number;
}

interface Watched {
  readonly broadcast: Broadcast<TypingSnapshot>;
  readonly coalescer: Coalescer;
}

export function startTyping(options: TypingOptions): TypingService {
  const expiresMs = options.expiresMs ?? TYPING_EXPIRES_MS;
  const instanceId = options.instanceId ?? randomUUID();
  /** Per thread, who is typing (in the order they started) and when each state expires. */
  const typing = new Map<string, Map<string, NodeJS.Timeout>>();
  const cache = new Map<string, TypingSnapshot>();
  const watched = new Map<string, Watched>();

  const apply = ({ threadId, userId, typing: on }: TypingNotice) => {
    let users = typing.get(threadId);
    const timer = users?.get(userId);
    clearTimeout(timer);
    if (on) {
      if (!users) typing.set(threadId, (users = new Map()));
      const expiry = setTimeout(() => apply({ threadId, userId, typing: false }), expiresMs);
      expiry.unref();
      users.set(userId, expiry);
      // A renewal changes nothing anyone sees.
      if (timer !== undefined) return;
    } else {
      if (!users || timer === undefined) return;
      users.delete(userId);
      if (users.size === 0) typing.delete(threadId);
    }
    cache.delete(threadId);
    watched.get(threadId)?.coalescer.poke();
  };

  const share: TypingShare | undefined = options.redisUrl ? shareTyping({ redisUrl: options.redisUrl, namespace: options.namespace, instanceId, received: apply }) : undefined;

  const stopFeed = options.feed.onAdvance((events) => {
    for (const event of events) {
      const posted = postedBy(event);
      if (posted) apply({ ...posted, typing: false });
    }
  });

  const snapshot = (threadId: string): TypingSnapshot => {
    let found = cache.get(threadId);
    if (!found) {
      found = Object.freeze({ threadId, userIds: Object.freeze([...(typing.get(threadId)?.keys() ?? [])]) });
      // Kept while watched (the same object for every watcher); a thread nobody watches keeps nothing.
      if (watched.has(threadId)) cache.set(threadId, found);
    }
    return found;
  };

  return {
    set(threadId, userId, on) {
      const notice = { threadId, userId, typing: on };
      apply(notice);
      share?.publish(notice);
    },
    snapshot,
    watch(threadId) {
      let watch = watched.get(threadId);
      if (!watch) {
        const broadcast = new Broadcast<TypingSnapshot>(() => {
          watched.get(threadId)?.coalescer.stop();
          watched.delete(threadId);
          cache.delete(threadId);
        });
        let last: TypingSnapshot | undefined;
        const coalescer = coalesce(() => {
          const now = snapshot(threadId);
          if (now === last) return;
          last = now;
          broadcast.publish(now);
        }, options.coalesceMs);
        watched.set(threadId, (watch = { broadcast, coalescer }));
        last = snapshot(threadId);
      }
      return watch.broadcast.watch(() => snapshot(threadId));
    },
    async close() {
      stopFeed();
      for (const users of typing.values()) for (const timer of users.values()) clearTimeout(timer);
      typing.clear();
      for (const watch of [...watched.values()]) {
        watch.coalescer.stop();
        watch.broadcast.end();
      }
      await share?.close();
    },
  };
}

/** The thread and author of a MessagePosted; undefined for any other event. */
function postedBy(event: StoredEvent): { threadId: string; userId: string } | undefined {
  if (event.type !== 'MessagePosted' || event.metadata.actorId === null) return undefined;
  const fromData = event.data.threadId;
  const threadId = typeof fromData === 'string' ? fromData : event.streamId.replace(/^thread-/, '');
  return { threadId, userId: event.metadata.actorId };
}
