/**
 * The outbox of a thread that could not be loaded (the server is down, the
 * page came from the app shell): what the person wrote is still there and
 * still going out by itself once the thread loads again, not hidden behind
 * the error.
 */
import type { PendingSend } from '../thread/pendingSends.ts';
import { PendingItem } from '../thread/PendingItem.tsx';
import './waitingSends.css';

export interface WaitingSendsProps {
  readonly pending: readonly PendingSend[];
  readonly onRetry: (key: string) => void;
  readonly onDiscard: (key: string) => void;
}

export function WaitingSends({ pending, onRetry, onDiscard }: WaitingSendsProps) {
  if (pending.length === 0) return null;
  return (
    <section className="waiting-sends" aria-label="Waiting to be sent">
      <h2 className="waiting-sends-title">Waiting to be sent</h2>
      <ul className="messages">
        {pending.map((send) => (
          <PendingItem key={send.key} send={send} onRetry={onRetry} onDiscard={onDiscard} />
        ))}
      </ul>
    </section>
  );
}
