/**
 * What to tell someone when a load failed, in their words rather than the
 * server's: "id is not a valid id" becomes "This thread doesn't exist or was
 * removed." The server's own message is never shown here.
 */
import type { ErrorCode } from './errors.ts';

export type LoadSubject = 'thread' | 'threads' | 'search' | 'bots' | 'people';

export interface LoadFailureText {
  /** What happened, in one sentence. */
  readonly text: string;
  /** Whether trying again can help (a missing or forbidden thing stays so). */
  readonly retryable: boolean;
}

const failedToLoad: Record<LoadSubject, string> = {
  thread: 'This thread could not be loaded.',
  threads: 'The threads could not be loaded.',
  search: 'The search could not be run.',
  bots: 'The bots could not be listed.',
  people: 'Who is online could not be loaded.',
};

export function describeLoadFailure(code: ErrorCode, subject: LoadSubject): LoadFailureText {
  switch (code) {
    // An id that is not one (BAD_USER_INPUT) names nothing, as far as the reader is concerned.
    case 'NOT_FOUND':
    case 'BAD_USER_INPUT':
      return { text: subject === 'thread' ? "This thread doesn't exist or was removed." : `${failedToLoad[subject]} What was asked for is not there.`, retryable: false };
    case 'FORBIDDEN':
      return { text: subject === 'thread' ? "You don't have access to this thread." : `${failedToLoad[subject]} You don't have access.`, retryable: false };
    case 'UNAUTHENTICATED':
      return { text: 'Your session has ended. Sign in again to continue.', retryable: false };
    case 'NETWORK':
      return { text: `${failedToLoad[subject]} Thrds cannot be reached right now.`, retryable: true };
    case 'RATE_LIMITED':
      return { text: `${failedToLoad[subject]} Too many requests just now.`, retryable: true };
    case 'UNAVAILABLE':
    case 'CONFLICT':
    case 'UNKNOWN':
      return { text: `${failedToLoad[subject]} Thrds is having trouble right now.`, retryable: true };
  }
}
