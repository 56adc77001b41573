/**
 * A failed load, said plainly: what could not be loaded and why in the
 * reader's words (api/loadFailure.ts), a "Try again" button when trying can
 * help, a way back to the thread list when it cannot, and the retry made by
 * itself on reconnect and after a backoff (api/useRetryOnReconnect.ts).
 */
import type { CombinedError } from '@urql/core';
import { errorCode } from '../api/errors.ts';
import { describeLoadFailure, type LoadSubject } from '../api/loadFailure.ts';
import { useRetryOnReconnect } from '../api/useRetryOnReconnect.ts';
import { followLink } from './router.ts';
import './loadError.css';

export interface LoadErrorProps {
  /** What went wrong; null when the answer was simply "nothing there" (NOT_FOUND). */
  readonly failure: CombinedError | null;
  readonly subject: LoadSubject;
  readonly onRetry: () => void;
  /** Offers "Back to threads" (for what was opened from a link). */
  readonly backToThreads?: boolean;
  readonly className?: string;
}

export function LoadError({ failure, subject, onRetry, backToThreads = false, className = '' }: LoadErrorProps) {
  useRetryOnReconnect(failure, onRetry);
  const code = failure ? errorCode(failure) : 'NOT_FOUND';
  const { text, retryable } = describeLoadFailure(code, subject);
  return (
    <div className={`load-error ${className}`.trim()} role="alert" data-code={code}>
      <p className="load-error-text">{text}</p>
      {retryable && <p className="load-error-note">It will try again by itself when Thrds is back.</p>}
      <div className="load-error-actions">
        {retryable && (
          <button type="button" className="button small" onClick={onRetry}>
            Try again
          </button>
        )}
        {backToThreads && (
          <a href="/" onClick={followLink} className="load-error-back">
            Back to threads
          </a>
        )}
      </div>
    </div>
  );
}
