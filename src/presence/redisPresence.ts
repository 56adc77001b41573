/**
 * Presence across instances through Redis. Each instance keeps its whole
 * part (presenceCounts.ts) under its own key with an expiry, renewed by a
 * heartbeat, and names itself in a registry set; it publishes "changed" on
 * the log's presence channel after each write, and every instance then
 * reads the parts of all the others. An instance that dies without a
 * goodbye (SIGKILL) stops renewing: its key expires (TTL_MS) and the others
 * drop it at their next read, at most TTL_MS + BEAT_MS after its last beat.
 *
 * Redis down: `others` is empty, so this instance counts its own only
 * (the process's Redis log says so once when it goes, once when it is
 * back); then the part is written again and the others read at once.
 */
import { Redis } from 'ioredis';
import { dependencyLog } from '../observability/dependencyLog.ts';
import { coalesce } from './coalesce.ts';
import type { InstancePart } from './localPresence.ts';
import type { ScopePart } from './presenceCounts.ts';

/** A key not renewed for this long is a dead instance's: 20 s, so it is gone within 30 s of the kill. */
export const TTL_MS = 20_000;
/** How often each instance renews its key and reads the others'. */
export const BEAT_MS = 5_000;

export interface PresenceShareOptions {
  readonly redisUrl: string;
  /** The log's channel (realtime/redisNotifier.ts channelFor): instances of one log share presence. */
  readonly namespace: string;
  readonly instanceId: string;
  /** This instance's part now. */
  readonly local: () => InstancePart;
  /** The others' parts changed (or were dropped: Redis is down). */
  readonly othersChanged: () => void;
  readonly ttlMs?: number;
  readonly beatMs?: number;
}

export interface PresenceShare {
  /** The other instances' parts as last read; empty while Redis is down. */
  readonly others: ReadonlyMap<string, InstancePart>;
  /** Whether the last exchange with Redis worked (metrics). */
  readonly connected: boolean;
  /** This instance's part changed: write it and tell the others (coalesced). */
  changed(): void;
  /** Removes this instance's part (a goodbye: the others drop it at once) and disconnects. */
  close(): Promise<void>;
}

export function sharePresence(options: PresenceShareOptions): PresenceShare {
  const { namespace, instanceId } = options;
  const ttlMs = options.ttlMs ?? TTL_MS;
  const registry = `${namespace}:presence:instances`;
  const keyOf = (id: string) => `${namespace}:presence:instance:${id}`;
  const channel = `${namespace}:presence`;
  const connection = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
  const client = new Redis(options.redisUrl, connection);
  const subscriber = new Redis(options.redisUrl, connection);
  const health = dependencyLog('redis').part('presence');
  let others = new Map<string, InstancePart>();
  let closed = false;

  // Logged by the process's one Redis log (dependencyLog: once when it goes, once when it is back), not again here.
  const fail = (error: unknown) => {
    health.failed(error);
    if (others.size > 0) {
      others = new Map();
      options.othersChanged();
    }
  };
  const recovered = () => health.ok();

  const write = coalesce(() => {
    if (closed || client.status !== 'ready') return;
    client
      .multi()
      .set(keyOf(instanceId), JSON.stringify(options.local()), 'PX', ttlMs)
      .sadd(registry, instanceId)
      .publish(channel, instanceId)
      .exec()
      .then(() => read.poke(), fail);
  });

  const read = coalesce(() => {
    if (closed || client.status !== 'ready') return;
    void readOthers().then((read) => {
      recovered();
      if (closed) return;
      others = read;
      options.othersChanged();
    }, fail);
  });

  async function readOthers(): Promise<Map<string, InstancePart>> {
    const ids = (await client.smembers(registry)).filter((id) => id !== instanceId);
    if (ids.length === 0) return new Map();
    const parts = await client.mget(ids.map(keyOf));
    const found = new Map<string, InstancePart>();
    const expired: string[] = [];
    ids.forEach((id, i) => {
      const part = parts[i] ? partFrom(parts[i]) : undefined;
      if (part) found.set(id, part);
      else if (!parts[i]) expired.push(id);
    });
    if (expired.length > 0) await client.srem(registry, ...expired);
    return found;
  }

  client.on('error', fail).on('ready', () => write.poke());
  subscriber.on('error', fail).on('ready', () => {
    subscriber.subscribe(channel).then(() => read.poke(), fail);
  });
  subscriber.on('message', (_channel: string, from: string) => {
    if (from !== instanceId) read.poke();
  });
  client.connect().catch(fail);
  subscriber.connect().catch(fail);

  const beat = setInterval(() => write.poke(), options.beatMs ?? BEAT_MS);
  beat.unref();

  return {
    get others() {
      return others;
    },
    get connected() {
      return client.status === 'ready' && subscriber.status === 'ready';
    },
    changed: () => write.poke(),
    async close() {
      closed = true;
      clearInterval(beat);
      write.stop();
      read.stop();
      subscriber.disconnect();
      if (client.status === 'ready') {
        // A goodbye at best: if it fails, the part expires by itself within TTL_MS, as a killed instance's does.
        await client.multi().del(keyOf(instanceId)).srem(registry, instanceId).publish(channel, instanceId).exec().catch(() => undefined);
        await client.quit().catch(() => undefined);
      }
      client.disconnect();
    },
  };
}

/** Another instance's part as it wrote it; undefined for what is not one (a foreign or future format is skipped, not a crash). */
function partFrom(json: string): InstancePart | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const part = parsed as Partial<InstancePart> | null;
  if (!isScope(part?.all) || typeof part.threads !== 'object' || part.threads === null || !Object.values(part.threads).every(isScope)) return undefined;
  return part as InstancePart;
}

function isScope(value: unknown): value is ScopePart {
  const scope = value as Partial<ScopePart> | null | undefined;
  return typeof scope?.connections === 'number' && typeof scope.users === 'object' && scope.users !== null && Object.values(scope.users).every((n) => typeof n === 'number');
}
