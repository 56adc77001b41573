/**
 * The viewer's unread state for the whole app: seeded by the thread list's
 * pages (which carry each thread's counts and `unreadThreads`), kept live by
 * the viewer-scoped `myThreads` subscription and by this client's own reads.
 * After the live socket comes back, the counts are asked again: updates sent
 * while it was down are not replayed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useConnectionState, useThrds } from '../api/ThrdsContext.tsx';
import { MyThreadsSubscription, UnreadThreadsQuery, type ThreadSummary } from '../api/operations.ts';
import { decodeThread, decodeThreadUnread } from '../api/decode.ts';
import { useLiveSubscription } from '../api/useLiveSubscription.ts';
import { applyUnread, emptyUnread, newlyMentioned, totalUnreadThreads, withServerTotal, type ThreadUnread, type UnreadState } from './unreadState.ts';

export interface Unread {
  readonly state: UnreadState;
  readonly total: number;
  /** Counts for some threads, with the server's `unreadThreads` when the same answer carried it. */
  apply(updates: ReadonlyMap<string, ThreadUnread>, serverTotal?: number): void;
}

export interface UnreadOptions {
  /** A thread as a `myThreads` update brought it (the list keeps it current). */
  readonly onThread: (thread: ThreadSummary) => void;
  /** The viewer was mentioned in a thread (its unread mentions went up). */
  readonly onMentioned: (threadId: string) => void;
  /** The live socket is back after a drop: the list should load its first page again. */
  readonly onResync: () => void;
}

export function useUnread({ onThread, onMentioned, onResync }: UnreadOptions): Unread {
  const { client } = useThrds();
  const [state, setState] = useState<UnreadState>(emptyUnread);
  const stateRef = useRef(state);
  stateRef.current = state;
  const totalTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(totalTimer.current), []);

  const askTotal = useCallback(() => {
    clearTimeout(totalTimer.current);
    totalTimer.current = setTimeout(() => {
      void client
        .query(UnreadThreadsQuery, {})
        .toPromise()
        .then((result) => {
          const total = result.data?.unreadThreads;
          if (typeof total === 'number') setState((s) => withServerTotal(s, total));
        });
    }, 250);
  }, [client]);

  const apply = useCallback(
    (updates: ReadonlyMap<string, ThreadUnread>, serverTotal?: number) => {
      if (serverTotal === undefined && applyUnread(stateRef.current, updates).unknown.length > 0) askTotal();
      setState((s) => {
        const next = applyUnread(s, updates).state;
        return serverTotal === undefined ? next : withServerTotal(next, serverTotal);
      });
    },
    [askTotal],
  );

  const latest = useRef({ onThread, onMentioned });
  latest.current = { onThread, onMentioned };
  useLiveSubscription({
    query: MyThreadsSubscription,
    variables: {},
    onData: ({ myThreads: update }) => {
      const thread = decodeThread(update?.thread);
      if (thread) latest.current.onThread(thread);
      const decoded = decodeThreadUnread(update?.thread);
      if (!decoded) return;
      if (newlyMentioned(stateRef.current.threads.get(decoded.id), decoded.unread, update?.reason)) latest.current.onMentioned(decoded.id);
      apply(new Map([[decoded.id, decoded.unread]]));
    },
  });

  const connection = useConnectionState();
  const wasLive = useRef(false);
  const resync = useRef(onResync);
  resync.current = onResync;
  useEffect(() => {
    if (connection !== 'live') return;
    if (wasLive.current) resync.current();
    wasLive.current = true;
  }, [connection]);

  return { state, total: totalUnreadThreads(state), apply };
}
