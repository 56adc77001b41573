/**
 * The source of `Subscription.myThreads`: what changed in which thread, for
 * every signed-in watcher, and the watcher's own read-marker moves.
 *
 * One `feed.onAdvance` listener turns each thread event into ONE update
 * object handed to every watcher: the WebSocket gateway shares an
 * execution between subscribers given the same object (per user, the field
 * being viewer-scoped), so 1,000 watchers of one post cost one object here.
 * A marker move (READ) goes only to that user's watchers, on this instance
 * and, with Redis, on every other (pub/sub on `<channelFor(db)>:reads`).
 *
 * A watcher that does not keep up holds at most MAX_QUEUED updates: past
 * that, the oldest update of the same thread goes (the newest says all a
 * thread list needs), else the oldest of all.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LogFeed } from '../events/logFeed.ts';
import type { StoredEvent } from '../events/types.ts';
import { type ChatEventType, isKnown } from '../modules/index.ts';
import { dependencyLog } from '../observability/dependencyLog.ts';
import { log } from '../observability/log.ts';

export type ThreadUpdateReason = 'THREAD_CREATED' | 'THREAD_RENAMED' | 'THREAD_LOCK_CHANGED' | 'MESSAGE_POSTED' | 'MESSAGE_EDITED' | 'MESSAGE_DELETED' | 'READ';

export interface ThreadUpdate {
  readonly threadId: string;
  /** The event's position; for READ, where the marker now stands. */
  readonly position: number;
  readonly reason: ThreadUpdateReason;
}

/** Which events a thread list hears of. Reactions change no count and no title: not sent. Exhaustive: a new event type must be placed. */
const REASONS: Readonly<Record<ChatEventType, ThreadUpdateReason | null>> = {
  ThreadCreated: 'THREAD_CREATED',
  ThreadRenamed: 'THREAD_RENAMED',
  ThreadLockChanged: 'THREAD_LOCK_CHANGED',
  MessagePosted: 'MESSAGE_POSTED',
  MessageEdited: 'MESSAGE_EDITED',
  MessageDeleted: 'MESSAGE_DELETED',
  ReactionAdded: null,
  ReactionRemoved: null,
  UserRegistered: null,
  UserRoleChanged: null,
  UserSuspended: null,
  // Bots (issue 15): an invitation changes no count and no title.
  BotAdded: null,
  BotCardChanged: null,
  BotRemoved: null,
  BotInvited: null,
  BotUninvited: null,
  // A new avatar changes no thread (it shows through User.avatarUrl on the next read).
  UserAvatarChanged: null,
};

/** The update an event makes, or null when a thread list does not care. */
export function updateOf(event: StoredEvent): ThreadUpdate | null {
  if (!isKnown(event)) return null;
  const reason = REASONS[event.type];
  const threadId = (event.data as { readonly threadId?: unknown }).threadId;
  if (reason === null || typeof threadId !== 'string') return null;
  return { threadId, position: event.position, reason };
}

export const MAX_QUEUED = 64;

/** One watcher's updates; `return()` ends it at once (a waiting `next()` resolves done). */
export type ThreadUpdateWatch = AsyncIterableIterator<ThreadUpdate> & { return(): Promise<IteratorResult<ThreadUpdate>> };

export interface ThreadUpdatesStats {
  readonly watchers: number;
  /** Updates a slow watcher lost to a newer one (monotonic). */
  readonly dropped: number;
}

export class ThreadUpdates {
  private readonly watchers = new Set<Watcher>();
  private readonly byUser = new Map<string, Set<Watcher>>();
  private readonly stopFeed: () => void;
  private readonly instance = randomUUID();
  private redis: { publisher: Redis; subscriber: Redis; channel: string } | undefined;
  private droppedCount = 0;

  constructor(feed: Pick<LogFeed, 'onAdvance'>) {
    this.stopFeed = feed.onAdvance((events) => {
      for (const event of events) {
        const update = updateOf(event);
        if (update) for (const watcher of this.watchers) watcher.push(update);
      }
    });
  }

  get stats(): ThreadUpdatesStats {
    return { watchers: this.watchers.size, dropped: this.droppedCount };
  }

  /** The updates for `userId` from now on, until `return()`. */
  watch(userId: string): ThreadUpdateWatch {
    const watcher = new Watcher(() => this.unwatch(userId, watcher), () => (this.droppedCount += 1));
    this.watchers.add(watcher);
    const mine = this.byUser.get(userId) ?? new Set();
    mine.add(watcher);
    this.byUser.set(userId, mine);
    return watcher;
  }

  /** `userId` moved their marker in `threadId` to `position`: their watchers here and on every instance hear of it. */
  markedRead(userId: string, threadId: string, position: number): void {
    this.deliverRead(userId, { threadId, position, reason: 'READ' });
    const redis = this.redis;
    if (!redis) return;
    const message = JSON.stringify({ instance: this.instance, userId, threadId, position });
    redis.publisher.publish(redis.channel, message).catch((error: unknown) => dependencyLog('redis').part('read markers').failed(error));
  }

  /** Shares marker moves with the other instances of this log through Redis pub/sub (channel: `<namespace>:reads`). */
  async connectRedis(url: string, namespace: string): Promise<void> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false };
    const publisher = new Redis(url, options);
    const subscriber = new Redis(url, options);
    const redis = dependencyLog('redis');
    for (const [name, client] of [['publisher', publisher], ['subscriber', subscriber]] as const) {
      const part = redis.part(`read markers ${name}`);
      client.on('error', (error: Error) => part.failed(error)).on('ready', () => part.ok());
    }
    const channel = `${namespace}:reads`;
    subscriber.on('message', (_channel: string, message: string) => this.received(message));
    // Subscribed at each ready: Redis down at start, or gone a while, the clients keep reconnecting
    // (ioredis), and marker moves cross instances again once it is back.
    subscriber.on('ready', () => {
      subscriber.subscribe(channel).catch((error: unknown) => redis.part('read markers subscriber').failed(error));
    });
    this.redis = { publisher, subscriber, channel };
    // Meanwhile marker moves reach this instance's watchers only; every count stays right on the next update or query.
    await Promise.all([publisher.connect(), subscriber.connect()]).catch((error: unknown) => redis.part('read markers').failed(error));
  }

  async close(): Promise<void> {
    this.stopFeed();
    for (const watcher of [...this.watchers]) await watcher.return();
    const redis = this.redis;
    this.redis = undefined;
    if (redis) {
      redis.subscriber.disconnect();
      await redis.publisher.quit().catch(() => redis.publisher.disconnect());
    }
  }

  private received(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch (error) {
      log.warn({ err: error }, 'ignored a malformed read-marker notice from Redis');
      return;
    }
    const { instance, userId, threadId, position } = (parsed ?? {}) as Record<string, unknown>;
    if (instance === this.instance) return;
    if (typeof userId !== 'string' || typeof threadId !== 'string' || typeof position !== 'number') {
      log.warn('ignored a malformed read-marker notice from Redis');
      return;
    }
    this.deliverRead(userId, { threadId, position, reason: 'READ' });
  }

  private deliverRead(userId: string, update: ThreadUpdate): void {
    for (const watcher of this.byUser.get(userId) ?? []) watcher.push(update);
  }

  private unwatch(userId: string, watcher: Watcher): void {
    this.watchers.delete(watcher);
    const mine = this.byUser.get(userId);
    mine?.delete(watcher);
    if (mine?.size === 0) this.byUser.delete(userId);
  }
}

/** One watch: a bounded queue and at most one waiting `next()`. */
class Watcher implements AsyncIterableIterator<ThreadUpdate> {
  private queue: ThreadUpdate[] = [];
  private waiting: ((result: IteratorResult<ThreadUpdate>) => void) | undefined;
  private done = false;

  constructor(
    private readonly onEnd: () => void,
    private readonly onDrop: () => void,
  ) {}

  push(update: ThreadUpdate): void {
    if (this.done) return;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ value: update, done: false });
      return;
    }
    if (this.queue.length >= MAX_QUEUED) {
      const older = this.queue.findIndex((queued) => queued.threadId === update.threadId);
      this.queue.splice(older === -1 ? 0 : older, 1);
      this.onDrop();
    }
    this.queue.push(update);
  }

  next(): Promise<IteratorResult<ThreadUpdate>> {
    const update = this.queue.shift();
    if (update) return Promise.resolve({ value: update, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorResult<ThreadUpdate>> {
    if (!this.done) {
      this.done = true;
      this.queue = [];
      this.onEnd();
      this.waiting?.({ value: undefined, done: true });
      this.waiting = undefined;
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ThreadUpdate> {
    return this;
  }
}

/** The hub for a server: with `redisUrl`, connected to the other instances in the background (`ready` settles once tried). */
export function startThreadUpdates(options: { readonly feed: Pick<LogFeed, 'onAdvance'>; readonly redisUrl?: string | undefined; readonly namespace: string }): ThreadUpdates & { readonly ready: Promise<void> } {
  const hub = new ThreadUpdates(options.feed);
  const ready = options.redisUrl === undefined ? Promise.resolve() : hub.connectRedis(options.redisUrl, options.namespace);
  return Object.assign(hub, { ready });
}
