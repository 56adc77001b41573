/**
 * Resuming a subscription from the last position it delivered.
 *
 * graphql-ws re-sends a subscription's original payload on every reconnect
 * (it serialises the same object again). Binding `after` to a getter over a
 * cursor means every resubscription asks for events after the newest one this
 * client has seen, not after the position it first subscribed with, so nothing
 * missed is skipped and little is replayed.
 */
import { isAfter, type Position } from './position.ts';

export interface ResumeCursor {
  current: Position | null;
}

export function createResumeCursor(from: Position | null): ResumeCursor {
  return { current: from };
}

/** Moves the cursor forward; returns false when `position` was already seen. */
export function advance(cursor: ResumeCursor, position: Position): boolean {
  if (!isAfter(position, cursor.current)) return false;
  cursor.current = position;
  return true;
}

export function withLiveAfter(
  variables: Readonly<Record<string, unknown>> | undefined,
  cursor: ResumeCursor,
): Record<string, unknown> {
  const live: Record<string, unknown> = { ...variables };
  Object.defineProperty(live, 'after', { enumerable: true, get: () => cursor.current });
  return live;
}
