/**
 * What the viewer has not read, per thread and in all, as pure state. Each
 * thread's counts come whole from the server (a page of the list, an answer
 * to markRead, a `myThreads` update), resolved for this viewer as of the
 * thread's position and read marker. Neither ever goes back, so a copy older
 * in both (a page that raced a live update) never replaces a newer one.
 *
 * The total is `Query.unreadThreads`, and it covers threads the list has not
 * loaded: those are kept as a count (`elsewhere`) beside the known ones, and
 * a thread the client hears of for the first time asks for the total again
 * (its earlier state, and so whether it was counted, is unknown here).
 */
import { comparePositions, type Position } from '../api/position.ts';

export interface ThreadUnread {
  readonly unreadCount: number;
  readonly unreadMentionCount: number;
  readonly lastReadPosition: Position | null;
  /** The thread's newest event position these counts reflect. */
  readonly position: Position;
}

export interface UnreadState {
  readonly threads: ReadonlyMap<string, ThreadUnread>;
  /** Threads with unread messages that are not in `threads`. */
  readonly elsewhere: number;
}

export const emptyUnread: UnreadState = { threads: new Map(), elsewhere: 0 };

function notBefore(a: Position | null, b: Position | null): boolean {
  if (b === null) return true;
  return a !== null && comparePositions(a, b) >= 0;
}

/** Whether `incoming` is at least as new as `known` on both clocks: the thread's events and the viewer's marker. */
export function supersedes(incoming: ThreadUnread, known: ThreadUnread | undefined): boolean {
  if (!known) return true;
  return notBefore(incoming.position, known.position) && notBefore(incoming.lastReadPosition, known.lastReadPosition);
}

/** Applies the counts of some threads; the ones not already known are reported so the caller can re-ask the total. */
export function applyUnread(state: UnreadState, updates: ReadonlyMap<string, ThreadUnread>): { state: UnreadState; unknown: readonly string[] } {
  let threads: Map<string, ThreadUnread> | null = null;
  const unknown: string[] = [];
  for (const [id, incoming] of updates) {
    const known = state.threads.get(id);
    if (!known) unknown.push(id);
    if (!supersedes(incoming, known)) continue;
    threads ??= new Map(state.threads);
    threads.set(id, incoming);
  }
  return { state: threads ? { ...state, threads } : state, unknown };
}

/** Threads with unread messages that this client knows of. */
export function knownUnreadThreads(state: UnreadState): number {
  let n = 0;
  for (const t of state.threads.values()) if (t.unreadCount > 0) n += 1;
  return n;
}

/** Takes the server's `unreadThreads` as the truth: what the known threads do not explain is elsewhere. */
export function withServerTotal(state: UnreadState, unreadThreads: number): UnreadState {
  const elsewhere = Math.max(0, unreadThreads - knownUnreadThreads(state));
  return elsewhere === state.elsewhere ? state : { ...state, elsewhere };
}

/** The number the tab title shows. */
export function totalUnreadThreads(state: UnreadState): number {
  return state.elsewhere + knownUnreadThreads(state);
}

/**
 * Whether an update says the viewer was just mentioned: its unread mentions
 * went up, or, for a thread not known before, a post came with one.
 */
export function newlyMentioned(before: ThreadUnread | undefined, after: ThreadUnread, reason: string | null | undefined): boolean {
  if (before) return after.unreadMentionCount > before.unreadMentionCount && supersedes(after, before);
  return after.unreadMentionCount > 0 && reason === 'MESSAGE_POSTED';
}
