/** Between a thread's unconfirmed sends on screen and their stored form in the outbox. */
import type { PendingSend } from '../thread/pendingSends.ts';
import { replyTargetOf, type OutboxEntry } from './outboxState.ts';

export function toOutboxEntry(send: PendingSend, threadId: string, attachmentIds: readonly string[]): OutboxEntry {
  const { replyTo } = send;
  return {
    key: send.key,
    threadId,
    body: send.body,
    replyTo: replyTo ? { id: replyTo.id, body: replyTo.body, deletedAt: replyTo.deletedAt, author: replyTo.author } : null,
    attachmentIds,
    refused: send.status === 'failed' && send.error !== null ? { error: send.error, permanent: send.permanent } : null,
  };
}

/**
 * A stored send as it shows after a reload: a refusal stays a failure with the
 * server's words; anything else was never answered, so it waits for the
 * connection and goes again under its key.
 */
export function toPendingSend(entry: OutboxEntry): PendingSend {
  const base = { key: entry.key, body: entry.body, replyTo: entry.replyTo ? replyTargetOf(entry.replyTo) : null, autoRetries: 0 };
  return entry.refused
    ? { ...base, status: 'failed', error: entry.refused.error, permanent: entry.refused.permanent }
    : { ...base, status: 'offline', error: null, permanent: false };
}

/** The sends the outbox should send now, oldest first: those waiting for the connection. */
export function sendsToFlush(pending: readonly PendingSend[]): readonly PendingSend[] {
  return pending.filter((p) => p.status === 'offline');
}
