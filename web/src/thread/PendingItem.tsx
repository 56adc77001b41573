/**
 * A message on its way: shown at once, then replaced by the confirmed one, or
 * offering a retry; while the server cannot be reached it waits in the outbox.
 */
import type { PendingSend } from './pendingSends.ts';
import { ReplyQuote } from './MessageItem.tsx';
import { LinkifiedText } from '../ui/LinkifiedText.tsx';

export interface PendingItemProps {
  readonly send: PendingSend;
  readonly onRetry: (key: string) => void;
  readonly onDiscard: (key: string) => void;
}

export function PendingItem({ send, onRetry, onDiscard }: PendingItemProps) {
  const failed = send.status === 'failed';
  const status = failed
    ? `Not sent${send.error ? `: ${send.error}` : ''}`
    : send.status === 'waiting'
      ? 'Server busy: sending again shortly…'
      : send.status === 'offline'
        ? 'Waiting for connection'
        : 'Sending…';
  return (
    <li className={`message mine pending${failed ? ' failed' : ''}`} data-status={send.status}>
      <div className="message-meta">
        <span className="message-author">You</span>
        <span className="message-time" role={failed ? 'alert' : undefined}>
          {status}
        </span>
      </div>
      {send.replyTo && <ReplyQuote replyTo={send.replyTo} />}
      <p className="message-body">
        <LinkifiedText text={send.body} />
      </p>
      {(failed || send.status === 'waiting' || send.status === 'offline') && (
        <div className="pending-actions">
          {failed && !send.permanent && (
            <button type="button" className="button small" onClick={() => onRetry(send.key)}>
              Retry
            </button>
          )}
          <button type="button" className="button small quiet" onClick={() => onDiscard(send.key)}>
            Discard
          </button>
        </div>
      )}
    </li>
  );
}
