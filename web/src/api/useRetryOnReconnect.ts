/**
 * Tries a failed load again by itself: at once when the live connection comes
 * back from being down (offline, reconnecting), and meanwhile after a backoff (`retryDelayMs`) for failures that can
 * pass. Each new failure (a retry that failed too) schedules the next, longer
 * wait; a success (`failure` back to null) starts the count again.
 */
import { useEffect, useRef } from 'react';
import type { CombinedError } from '@urql/core';
import { errorCode, retryAfterSeconds } from './errors.ts';
import { retryDelayMs } from './retryDelay.ts';
import { useConnectionState } from './ThrdsContext.tsx';

export function useRetryOnReconnect(failure: CombinedError | null, retry: () => void): void {
  const retryRef = useRef(retry);
  retryRef.current = retry;
  const failureRef = useRef(failure);
  failureRef.current = failure;
  const attempts = useRef(0);
  const connection = useConnectionState();
  /** The connection was down (not merely in HTTP trouble) since it was last live. */
  const wasDown = useRef(connection !== 'live' && connection !== 'trouble');

  useEffect(() => {
    if (!failure) {
      attempts.current = 0;
      return;
    }
    const delay = retryDelayMs(errorCode(failure), attempts.current, retryAfterSeconds(failure));
    if (delay === null) return;
    const timer = setTimeout(() => {
      attempts.current += 1;
      retryRef.current();
    }, delay);
    return () => clearTimeout(timer);
  }, [failure]);

  useEffect(() => {
    // Back from an outage of the connection itself. Trouble with some answers while the socket stays up is
    // not one: the backoff handles that, or a request refused again and again would be retried at every good answer.
    if (connection !== 'live') {
      if (connection !== 'trouble') wasDown.current = true;
      return;
    }
    const cameBack = wasDown.current;
    wasDown.current = false;
    const current = failureRef.current;
    if (cameBack && current && retryDelayMs(errorCode(current), 0) !== null) {
      attempts.current = 0;
      retryRef.current();
    }
  }, [connection]);
}
