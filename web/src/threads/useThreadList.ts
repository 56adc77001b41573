/**
 * Loads the most recently active threads, then follows the global event feed
 * from the newest position the page reflects, so threads created or posted to
 * by anyone move to the top without a reload.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CombinedError } from '@urql/core';
import { EventsSubscription, ThreadsQuery, type ThreadSummary } from '../api/operations.ts';
import { avatarChanged } from '../identity/liveAvatars.ts';
import { botRetired } from '../bots/liveBots.ts';
import { avatarPath } from '../api/decode.ts';
import { useThrds } from '../api/ThrdsContext.tsx';
import { useResumableSubscription } from '../api/useResumableSubscription.ts';
import { applyMessagePosted, emptyThreadList, mergeThreads, type ThreadListState } from './threadListState.ts';
import { decodeNodes, decodeThread, decodeThreadUnread } from '../api/decode.ts';
import type { ResultOf } from '../graphql.ts';
import type { ThreadUnread } from '../unread/unreadState.ts';
import { logStart } from '../api/position.ts';

const pageSize = 30;

export interface ThreadList {
  readonly threads: readonly ThreadSummary[];
  readonly loading: boolean;
  readonly error: CombinedError | null;
  readonly hasMore: boolean;
  loadMore(): void;
  /** Shows a thread this client just created before the feed delivers it. */
  add(thread: ThreadSummary): void;
  /** Loads the first page again (after the live socket came back), merging it in. */
  reload(): void;
  /** Asks again for the first page after it failed (`error`). */
  retry(): void;
}

/** Each page carries the viewer's counts of its threads and `unreadThreads`, both as of that answer. */
export type OnUnreadPage = (updates: ReadonlyMap<string, ThreadUnread>, unreadThreads: number | undefined) => void;

type ThreadsPage = NonNullable<ResultOf<typeof ThreadsQuery>>;

function reportUnread(data: ThreadsPage, onUnread: OnUnreadPage | undefined): void {
  const updates = new Map<string, ThreadUnread>();
  for (const edge of data.threads?.edges ?? []) {
    const decoded = decodeThreadUnread(edge?.node);
    if (decoded) updates.set(decoded.id, decoded.unread);
  }
  onUnread?.(updates, data.unreadThreads ?? undefined);
}

export function useThreadList(onUnread?: OnUnreadPage): ThreadList {
  const { client } = useThrds();
  const onUnreadRef = useRef(onUnread);
  onUnreadRef.current = onUnread;
  const [state, setState] = useState<ThreadListState>(emptyThreadList);
  const [loaded, setLoaded] = useState(false);
  const [from, setFrom] = useState<string | null | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  /** Counts the asks for the first page: a retry after a failure asks again. */
  const [firstPageAsk, setFirstPageAsk] = useState(0);

  useEffect(() => {
    let cancelled = false;
    void client
      .query(ThreadsQuery, { first: pageSize, after: null })
      .toPromise()
      .then((result) => {
        if (cancelled) return;
        setError(result.error ?? null);
        const connection = result.data?.threads;
        if (!connection || !result.data) return;
        reportUnread(result.data, onUnreadRef.current);
        const next = mergeThreads({ ...emptyThreadList, nextCursor: nextCursorOf(connection.pageInfo) }, decodeNodes(connection.edges, decodeThread));
        setState(next);
        setLoaded(true);
        // The newest thread's latest event is the newest thread event of all:
        // the feed continues after it. With no thread yet, from the log's start.
        setFrom(next.seen ?? logStart);
      });
    return () => {
      cancelled = true;
    };
  }, [client, firstPageAsk]);

  useResumableSubscription({
    query: EventsSubscription,
    variables: {},
    from,
    positionOf: (data) => data.events?.position ?? null,
    onEvent: ({ events: event }) => {
      if (event?.__typename === 'ThreadCreated' || event?.__typename === 'ThreadRenamed') {
        const thread = decodeThread(event.thread);
        if (thread) setState((s) => mergeThreads(s, [thread]));
      } else if (event?.__typename === 'MessagePosted') {
        const thread = decodeThread(event.message?.thread);
        const postedAt = event.message?.postedAt;
        const position = event.position;
        if (thread && postedAt && position) setState((s) => applyMessagePosted(s, { thread, position, postedAt }));
      } else if (event?.__typename === 'UserAvatarChanged') {
        const userId = event.user?.id;
        if (userId) avatarChanged(userId, avatarPath(event.avatarUrl));
      } else if (event?.__typename === 'BotRemoved' || event?.__typename === 'BotCardChanged') {
        const botId = event.bot?.id;
        if (botId) botRetired(botId, event.__typename === 'BotRemoved');
      }
    },
    onError: setError,
  });

  const loadMore = useCallback(() => {
    const cursor = state.nextCursor;
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    void client
      .query(ThreadsQuery, { first: pageSize, after: cursor })
      .toPromise()
      .then((result) => {
        setLoadingMore(false);
        if (result.error) setError(result.error);
        const connection = result.data?.threads;
        if (!connection || !result.data) return;
        reportUnread(result.data, onUnreadRef.current);
        setState((s) => mergeThreads({ ...s, nextCursor: nextCursorOf(connection.pageInfo) }, decodeNodes(connection.edges, decodeThread)));
      });
  }, [client, state.nextCursor, loadingMore]);

  const add = useCallback((thread: ThreadSummary) => setState((s) => mergeThreads(s, [thread])), []);

  const reload = useCallback(() => {
    void client
      .query(ThreadsQuery, { first: pageSize, after: null })
      .toPromise()
      .then((result) => {
        if (!result.data?.threads) return;
        reportUnread(result.data, onUnreadRef.current);
        const page = result.data.threads;
        setState((s) => mergeThreads(s, decodeNodes(page.edges, decodeThread)));
      });
  }, [client]);

  const retry = useCallback(() => setFirstPageAsk((n) => n + 1), []);

  return { threads: state.threads, loading: !loaded && !error, error, hasMore: state.nextCursor !== null, loadMore, add, reload, retry };
}

function nextCursorOf(pageInfo: { hasNextPage: boolean | null; endCursor: string | null } | null): string | null {
  return pageInfo?.hasNextPage ? (pageInfo.endCursor ?? null) : null;
}
