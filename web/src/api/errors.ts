/** Turning a `CombinedError` into something to show, and its stable code to branch on. */
import type { CombinedError } from '@urql/core';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'NETWORK'
  | 'UNKNOWN';

export function errorCode(error: CombinedError): ErrorCode {
  if (error.networkError) return 'NETWORK';
  const code = error.graphQLErrors[0]?.extensions['code'];
  switch (code) {
    case 'BAD_USER_INPUT':
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'CONFLICT':
    case 'RATE_LIMITED':
    case 'UNAVAILABLE':
      return code;
    default:
      return 'UNKNOWN';
  }
}

export function errorMessage(error: CombinedError): string {
  if (error.networkError) return 'Could not reach the server.';
  const first = error.graphQLErrors[0];
  if (!first) return 'Something went wrong.';
  return errorCode(error) === 'UNKNOWN' ? 'Something went wrong on the server.' : first.message;
}

/**
 * When the server asks to be tried again (RATE_LIMITED, UNAVAILABLE: nothing
 * was written), in seconds; undefined for any other failure.
 */
export function retryAfterSeconds(error: CombinedError): number | undefined {
  const code = errorCode(error);
  if (code !== 'RATE_LIMITED' && code !== 'UNAVAILABLE') return undefined;
  const seconds = error.graphQLErrors[0]?.extensions['retryAfter'];
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) : 1;
}
