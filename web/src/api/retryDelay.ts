/**
 * When a failed load tries again by itself. A refusal about the request itself
 * (no such thing, not allowed, not signed in, a malformed id) will fail the
 * same way again: never. A server asking to wait says how long. Anything else
 * (no answer, a failing server) backs off: 1 s, 2 s, 4 s … capped at 30 s,
 * besides the immediate try when the connection comes back.
 */
import type { ErrorCode } from './errors.ts';

const firstMs = 1_000;
const capMs = 30_000;

export function retriesByItself(code: ErrorCode): boolean {
  return code !== 'NOT_FOUND' && code !== 'FORBIDDEN' && code !== 'UNAUTHENTICATED' && code !== 'BAD_USER_INPUT';
}

/** `attempt` counts the retries already made for this failure (0 for the first); null: wait for the person. */
export function retryDelayMs(code: ErrorCode, attempt: number, retryAfterSeconds?: number): number | null {
  if (!retriesByItself(code)) return null;
  if (retryAfterSeconds !== undefined) return retryAfterSeconds * 1000;
  return Math.min(capMs, firstMs * 2 ** Math.max(0, attempt));
}
