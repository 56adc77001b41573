/**
 * The thread list as pure state: threads merged by id, keeping whichever copy
 * reflects the later position, ordered by most recent activity first.
 */
import { comparePositions, isAfter, maxPosition, type Position } from '../api/position.ts';
import type { ThreadSummary } from '../api/operations.ts';

export interface ThreadListState {
  readonly threads: readonly ThreadSummary[];
  readonly nextCursor: string | null;
  /** The newest position the list reflects; the live feed resumes after it. */
  readonly seen: Position | null;
}

export const emptyThreadList: ThreadListState = { threads: [], nextCursor: null, seen: null };

export function mergeThreads(state: ThreadListState, incoming: readonly ThreadSummary[]): ThreadListState {
  if (incoming.length === 0) return state;
  const byId = new Map(state.threads.map((t) => [t.id, t]));
  let seen = state.seen;
  for (const thread of incoming) {
    const known = byId.get(thread.id);
    if (!known || isAfter(thread.position, known.position)) byId.set(thread.id, thread);
    seen = maxPosition(seen, thread.position);
  }
  const threads = [...byId.values()].sort((a, b) => comparePositions(b.position, a.position));
  return { ...state, threads, seen };
}

/**
 * A message was posted at `position`. The thread it names may be a snapshot
 * older or newer than the event, so the event itself moves the thread on:
 * one more message, active at `postedAt`, unless the list already reflects it.
 */
export function applyMessagePosted(
  state: ThreadListState,
  event: { readonly thread: ThreadSummary; readonly position: Position; readonly postedAt: string },
): ThreadListState {
  const known = state.threads.find((t) => t.id === event.thread.id);
  const base = known && !isAfter(event.thread.position, known.position) ? known : event.thread;
  if (!isAfter(event.position, base.position)) return mergeThreads(state, [base]);
  return mergeThreads(state, [{ ...base, messageCount: base.messageCount + 1, lastActivityAt: event.postedAt, position: event.position }]);
}
