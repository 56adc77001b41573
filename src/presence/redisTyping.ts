/**
 * Typing across instances: each `setTyping` is published on the log's
 * typing channel and applied by every other instance (typingService.ts),
 * which keeps its own expiry timer. Nothing is stored: a lost notice costs
 * at most one renewal's worth of "is typing" (renewals come every few
 * seconds while someone types). Redis down: typing is seen on this
 * instance only; logged once when it goes and once when it is back.
 */
import { Redis } from 'ioredis';
import { dependencyLog } from '../observability/dependencyLog.ts';

export interface TypingNotice {
  readonly threadId: string;
  readonly userId: string;
  readonly typing: boolean;
}

export interface TypingShare {
  publish(notice: TypingNotice): void;
  close(): Promise<void>;
}

export interface TypingShareOptions {
  readonly redisUrl: string;
  readonly namespace: string;
  readonly instanceId: string;
  /** A notice from another instance. */
  readonly received: (notice: TypingNotice) => void;
}

export function shareTyping({ redisUrl, namespace, instanceId, received }: TypingShareOptions): TypingShare {
  const channel = `${namespace}:typing`;
  const connection = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
  const publisher = new Redis(redisUrl, connection);
  const subscriber = new Redis(redisUrl, connection);
  const health = dependencyLog('redis').part('typing');
  const fail = (error: unknown) => health.failed(error);

  publisher.on('error', fail).on('ready', () => health.ok());
  subscriber.on('error', fail).on('ready', () => {
    subscriber.subscribe(channel).catch(fail);
  });
  subscriber.on('message', (_channel: string, message: string) => {
    const notice = noticeFrom(message, instanceId);
    if (notice) received(notice);
  });
  publisher.connect().catch(fail);
  subscriber.connect().catch(fail);

  return {
    publish(notice) {
      if (publisher.status !== 'ready') return;
      publisher.publish(channel, JSON.stringify({ from: instanceId, ...notice })).catch(fail);
    },
    async close() {
      subscriber.disconnect();
      await publisher.quit().catch(() => publisher.disconnect());
    },
  };
}

/** Another instance's notice, or undefined for this instance's own (already applied) or a malformed one. */
function noticeFrom(message: string, instanceId: string): TypingNotice | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  const { from, threadId, userId, typing } = (parsed ?? {}) as Record<string, unknown>;
  if (from === instanceId || typeof threadId !== 'string' || typeof userId !== 'string' || typeof typing !== 'boolean') return undefined;
  return { threadId, userId, typing };
}
