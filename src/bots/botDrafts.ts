/**
 * Bots' drafts (types.ts BotDrafts): a reply while the model writes it,
 * handed to whoever watches its thread and never stored. The instance
 * running a bot publishes; with Redis, each draft also goes out on the
 * log's drafts channel, so subscribers on every instance see it grow. A
 * lost draft is no loss: each one carries the whole text so far, and the
 * finished reply comes through the log.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { dependencyLog } from '../observability/dependencyLog.ts';
import { type BotDrafts, type BotDraftValue, isBotDraft } from './types.ts';

/** The longest draft text passed between instances: the reply's own limit is far below. */
const MAX_SHARED_TEXT = 64 * 1024;

export interface BotDraftsOptions {
  readonly redisUrl?: string | undefined;
  /** The log's channel prefix (realtime/redisNotifier.ts channelFor). */
  readonly namespace: string;
  readonly instanceId?: string;
}

export function startBotDrafts(options: BotDraftsOptions): BotDrafts {
  const instanceId = options.instanceId ?? randomUUID();
  const listeners = new Map<string, Set<(draft: BotDraftValue) => void>>();
  const deliver = (draft: BotDraftValue) => {
    for (const listener of listeners.get(draft.threadId) ?? []) listener(draft);
  };
  const share = options.redisUrl ? shareDrafts(options.redisUrl, `${options.namespace}:botDrafts`, instanceId, deliver) : undefined;
  return {
    publish(draft) {
      const frozen = Object.freeze({ ...draft });
      deliver(frozen);
      share?.publish(frozen);
    },
    watch(threadId, listener) {
      let set = listeners.get(threadId);
      if (!set) listeners.set(threadId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(threadId) === set) listeners.delete(threadId);
      };
    },
    async close() {
      listeners.clear();
      await share?.close();
    },
  };
}

interface DraftShare {
  publish(draft: BotDraftValue): void;
  close(): Promise<void>;
}

function shareDrafts(redisUrl: string, channel: string, instanceId: string, received: (draft: BotDraftValue) => void): DraftShare {
  const connection = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
  const publisher = new Redis(redisUrl, connection);
  const subscriber = new Redis(redisUrl, connection);
  const health = dependencyLog('redis').part('bot drafts');
  const fail = (error: unknown) => health.failed(error);
  publisher.on('error', fail).on('ready', () => health.ok());
  subscriber.on('error', fail).on('ready', () => {
    subscriber.subscribe(channel).catch(fail);
  });
  subscriber.on('message', (_channel: string, message: string) => {
    const draft = draftFrom(message, instanceId);
    if (draft) received(draft);
  });
  publisher.connect().catch(fail);
  subscriber.connect().catch(fail);
  return {
    publish(draft) {
      if (publisher.status !== 'ready') return;
      publisher.publish(channel, JSON.stringify({ from: instanceId, draft })).catch(fail);
    },
    async close() {
      subscriber.disconnect();
      await publisher.quit().catch(() => publisher.disconnect());
    },
  };
}

/** Another instance's draft, checked field by field; undefined for this instance's own or a malformed one. */
export function draftFrom(message: string, instanceId: string): BotDraftValue | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  const { from, draft } = (parsed ?? {}) as { from?: unknown; draft?: unknown };
  if (from === instanceId || !isBotDraft(draft)) return undefined;
  const { threadId, botId, replyToId, text, ended } = draft as unknown as Record<string, unknown>;
  if (typeof threadId !== 'string' || typeof botId !== 'string' || typeof replyToId !== 'string' || typeof text !== 'string' || typeof ended !== 'boolean') return undefined;
  if (text.length > MAX_SHARED_TEXT) return undefined;
  return Object.freeze({ kind: 'BotDraft', threadId, botId, replyToId, text, ended });
}
