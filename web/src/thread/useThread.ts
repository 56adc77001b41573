/**
 * One open thread: its latest page of messages, older pages on demand, the
 * live feed joined exactly where the page ends, and this client's sends with
 * their pending, failed and retry states.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CombinedError } from '@urql/core';
import { errorCode, errorMessage, retryAfterSeconds } from '../api/errors.ts';
import { newIdempotencyKey } from '../api/idempotencyKey.ts';
import { PostMessageMutation, RenameThreadMutation, ThreadEventsSubscription, ThreadQuery, type Message } from '../api/operations.ts';
import { comparePositions, logStart, type Position } from '../api/position.ts';
import { decodeMessage, decodeNodes } from '../api/decode.ts';
import { useThrds } from '../api/ThrdsContext.tsx';
import { useResumableSubscription } from '../api/useResumableSubscription.ts';
import { addMessages, emptyMessageLog, type MessageLog } from './messageLog.ts';
import { settleBy, type PendingSend } from './pendingSends.ts';

/** Sends the client retries by itself when the server asks it to wait; after that the person decides. */
const MAX_AUTO_RETRIES = 5;

const pageSize = 50;

export type ThreadStatus = 'loading' | 'ready' | 'not-found' | 'error';

export interface OpenThread {
  readonly status: ThreadStatus;
  readonly title: string;
  /** Whether the viewer created it, and so may rename it. */
  readonly canRename: boolean;
  readonly messages: readonly Message[];
  readonly pending: readonly PendingSend[];
  readonly hasOlder: boolean;
  readonly loadingOlder: boolean;
  readonly error: string | null;
  loadOlder(): void;
  send(body: string, replyTo: Message | null): void;
  retry(key: string): void;
  discard(key: string): void;
  /** Resolves to null once renamed, or to what went wrong. */
  rename(title: string): Promise<string | null>;
}

export function useThread(threadId: string, meId: string): OpenThread {
  const { client } = useThrds();
  const [status, setStatus] = useState<ThreadStatus>('loading');
  const [title, setTitle] = useState('');
  const [createdBy, setCreatedBy] = useState<string | null>(null);
  const [log, setLog] = useState<MessageLog>(emptyMessageLog);
  const [olderCursor, setOlderCursor] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [from, setFrom] = useState<Position | null | undefined>(undefined);
  const [pending, setPending] = useState<readonly PendingSend[]>([]);
  const [error, setError] = useState<string | null>(null);
  const settled = useRef(new Set<string>());

  useEffect(() => {
    let cancelled = false;
    void client
      .query(ThreadQuery, { id: threadId, last: pageSize, before: null })
      .toPromise()
      .then((result) => {
        if (cancelled) return;
        const thread = result.data?.thread;
        if (!thread) {
          setStatus(result.error ? 'error' : 'not-found');
          if (result.error) setError(errorMessage(result.error));
          return;
        }
        const page = decodeNodes(thread.messages?.edges, decodeMessage);
        setTitle(thread.title ?? '');
        setCreatedBy(thread.createdBy?.id ?? null);
        setLog(addMessages(emptyMessageLog, page));
        setOlderCursor(previousCursorOf(thread.messages?.pageInfo ?? null));
        setFrom(joinPosition(thread.position, page));
        setStatus('ready');
      });
    return () => {
      cancelled = true;
    };
  }, [client, threadId]);

  const accept = useCallback(
    (message: Message) => {
      setLog((l) => addMessages(l, [message]));
      if (settled.current.has(message.id)) return;
      settled.current.add(message.id);
      setPending((p) => settleBy(p, message, meId));
    },
    [meId],
  );

  useResumableSubscription({
    query: ThreadEventsSubscription,
    variables: { threadId },
    from,
    positionOf: (data) => data.threadEvents?.position ?? null,
    onEvent: ({ threadEvents: event }) => {
      if (event?.__typename === 'ThreadRenamed' && event.title) setTitle(event.title);
      const message = event?.__typename === 'MessagePosted' ? decodeMessage(event.message) : null;
      if (message) accept(message);
    },
    onError: (e: CombinedError) => setError(errorMessage(e)),
  });

  const loadOlder = useCallback(() => {
    if (!olderCursor || loadingOlder) return;
    setLoadingOlder(true);
    void client
      .query(ThreadQuery, { id: threadId, last: pageSize, before: olderCursor })
      .toPromise()
      .then((result) => {
        setLoadingOlder(false);
        const connection = result.data?.thread?.messages;
        if (!connection) {
          if (result.error) setError(errorMessage(result.error));
          return;
        }
        setLog((l) => addMessages(l, decodeNodes(connection.edges, decodeMessage)));
        setOlderCursor(previousCursorOf(connection.pageInfo));
      });
  }, [client, threadId, olderCursor, loadingOlder]);

  const attempt = useCallback(
    (send: PendingSend) => {
      void client
        .mutation(PostMessageMutation, {
          input: { threadId, body: send.body, replyToId: send.replyTo?.id ?? null, idempotencyKey: send.key },
        })
        .toPromise()
        .then((result) => {
          const message = decodeMessage(result.data?.postMessage?.message);
          if (message) {
            setLog((l) => addMessages(l, [message]));
            settled.current.add(message.id);
            setPending((p) => p.filter((x) => x.key !== send.key));
            return;
          }
          const failure = result.error;
          const code = failure ? errorCode(failure) : 'UNKNOWN';
          const permanent = code === 'BAD_USER_INPUT' || code === 'FORBIDDEN' || code === 'NOT_FOUND';
          // "Not now" (the server is busy or the rate is spent; nothing was written): the same send,
          // with the same idempotency key, goes again by itself when the server says, a few times.
          const waitSeconds = failure ? retryAfterSeconds(failure) : undefined;
          const waiting = waitSeconds !== undefined && send.autoRetries < MAX_AUTO_RETRIES;
          const next: PendingSend = {
            ...send,
            status: waiting ? 'waiting' : 'failed',
            error: failure ? errorMessage(failure) : 'Not sent.',
            permanent,
            autoRetries: waiting ? send.autoRetries + 1 : send.autoRetries,
          };
          setPending((p) => p.map((x) => (x.key === send.key ? next : x)));
          if (waiting) {
            const timer = setTimeout(() => {
              retryTimers.current.delete(timer);
              // Discarded meanwhile (or retried by hand): nothing to send.
              if (!pendingRef.current.some((x) => x.key === send.key && x.status === 'waiting')) return;
              setPending((p) => p.map((x) => (x.key === send.key ? { ...x, status: 'sending' } : x)));
              attemptRef.current({ ...next, status: 'sending' });
            }, waitSeconds * 1000);
            retryTimers.current.add(timer);
          }
        });
    },
    [client, threadId],
  );
  const attemptRef = useRef(attempt);
  attemptRef.current = attempt;
  const pendingRef = useRef(pending);
  pendingRef.current = pending;
  const retryTimers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(
    () => () => {
      for (const timer of retryTimers.current) clearTimeout(timer);
    },
    [],
  );

  const send = useCallback(
    (body: string, replyTo: Message | null) => {
      const item: PendingSend = { key: newIdempotencyKey(), body, replyTo, status: 'sending', error: null, permanent: false, autoRetries: 0 };
      setPending((p) => [...p, item]);
      attempt(item);
    },
    [attempt],
  );

  const retry = useCallback(
    (key: string) => {
      const item = pending.find((p) => p.key === key);
      if (!item || item.status !== 'failed') return;
      const again: PendingSend = { ...item, status: 'sending', error: null, autoRetries: 0 };
      setPending((p) => p.map((x) => (x.key === key ? again : x)));
      attempt(again);
    },
    [pending, attempt],
  );

  const discard = useCallback((key: string) => setPending((p) => p.filter((x) => x.key !== key)), []);

  const rename = useCallback(
    async (newTitle: string) => {
      const result = await client.mutation(RenameThreadMutation, { input: { threadId, title: newTitle, idempotencyKey: newIdempotencyKey() } }).toPromise();
      const renamed = result.data?.renameThread?.thread?.title;
      if (!renamed) return result.error ? errorMessage(result.error) : 'Could not rename this thread.';
      setTitle(renamed);
      return null;
    },
    [client, threadId],
  );

  return {
    status,
    title,
    canRename: createdBy !== null && createdBy === meId,
    rename,
    messages: log.messages,
    pending,
    hasOlder: olderCursor !== null,
    loadingOlder,
    error,
    loadOlder,
    send,
    retry,
    discard,
  };
}

/**
 * Where the live feed takes over from the loaded page. The thread's position
 * and its messages may be read at slightly different moments, so resume from
 * the earlier of the two; anything replayed twice is dropped by id. With no
 * message loaded, replay the thread from its start.
 */
function joinPosition(threadPosition: Position | null, page: readonly Message[]): Position {
  const newest = page.at(-1)?.position;
  if (newest === undefined || threadPosition === null) return newest ?? logStart;
  return comparePositions(newest, threadPosition) < 0 ? newest : threadPosition;
}

function previousCursorOf(pageInfo: { hasPreviousPage: boolean | null; startCursor: string | null } | null): string | null {
  return pageInfo?.hasPreviousPage ? (pageInfo.startCursor ?? null) : null;
}
