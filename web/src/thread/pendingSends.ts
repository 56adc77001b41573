/**
 * Messages this client has sent but the server has not yet confirmed. Each
 * keeps the idempotency key of its first attempt, so a retry can only ever
 * produce the one message.
 */
import type { Message } from '../api/operations.ts';

export interface PendingSend {
  readonly key: string;
  readonly body: string;
  readonly replyTo: Message | null;
  /**
   * `waiting`: the server said "not now" (busy, or a rate limit); the same send goes again by itself.
   * `offline`: the server could not be reached; it is kept in the outbox and goes when the connection is back.
   */
  readonly status: 'sending' | 'waiting' | 'offline' | 'failed';
  readonly error: string | null;
  /** A refusal (bad input, forbidden) that a retry cannot fix. */
  readonly permanent: boolean;
  /** Tries the client made by itself after the server asked it to wait. */
  readonly autoRetries: number;
}

/**
 * Drops the first unconfirmed send that `message` settles. Our own message can
 * arrive over the live feed before the mutation answers; it is the same post
 * when author, body and reply target agree.
 */
export function settleBy(pending: readonly PendingSend[], message: Message, meId: string): readonly PendingSend[] {
  if (message.author.id !== meId) return pending;
  const index = pending.findIndex(
    (p) => p.body.trim() === message.body.trim() && (p.replyTo?.id ?? null) === (message.replyTo?.id ?? null),
  );
  return index === -1 ? pending : pending.filter((_, i) => i !== index);
}
