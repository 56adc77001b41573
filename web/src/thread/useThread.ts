/**
 * One open thread: its latest page of messages, older pages on demand, the
 * live feed joined exactly where the page ends, this client's sends with
 * their pending, failed and retry states, and the changes made to messages
 * after they were posted (reactions, edits, deletion) and to the thread
 * (locking), from this client or live from others. It can also be opened at
 * one message: older pages load until that message is there.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CombinedError } from '@urql/core';
import { errorCode, errorMessage, retryAfterSeconds } from '../api/errors.ts';
import { newIdempotencyKey } from '../api/idempotencyKey.ts';
import {
  AddReactionMutation,
  DeleteMessageMutation,
  EditMessageMutation,
  LockThreadMutation,
  MessageWhereQuery,
  PostMessageMutation,
  RemoveReactionMutation,
  RenameThreadMutation,
  ThreadEventsSubscription,
  ThreadQuery,
  type Message,
} from '../api/operations.ts';
import { comparePositions, logStart, maxPosition, type Position } from '../api/position.ts';
import type { EntryMarker } from '../unread/newDivider.ts';
import { decodeMessage, decodeNodes, decodeUser } from '../api/decode.ts';
import { useConnectionState, useThrds } from '../api/ThrdsContext.tsx';
import { entriesOfThread } from '../outbox/outboxState.ts';
import { loadOutbox, saveThreadOutbox } from '../outbox/outboxStorage.ts';
import { sendsToFlush, toOutboxEntry, toPendingSend } from '../outbox/pendingOutbox.ts';
import { useResumableSubscription } from '../api/useResumableSubscription.ts';
import { addMessages, emptyMessageLog, reactionsForViewer, reviseMessage, tombstone, type MessageLog, type ReactionChange } from './messageLog.ts';
import { settleBy, type PendingSend } from './pendingSends.ts';
import { nextJumpStep, type Jump } from '../search/jumpState.ts';
import { useThreadBots, type ThreadBots } from '../bots/useThreadBots.ts';
import { ThreadCursorsQuery } from '../search/jumpOperations.ts';
import { cursorPageSize, pagesToTarget } from '../search/jumpPlan.ts';
import { threadStateKey, threadStates, type ThreadSnapshot } from './threadStateCache.ts';
import type { ScrollAnchor } from './scrollAnchor.ts';

/** Sends the client retries by itself when the server asks it to wait; after that the person decides. */
const MAX_AUTO_RETRIES = 5;
/** How often sends waiting for the connection are tried while nothing else says it is back. */
const OUTBOX_RETRY_MS = 5_000;

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
  /** Why the thread itself could not be loaded (status 'error'). */
  readonly loadFailure: CombinedError | null;
  /** Asks for the thread again after its load failed. */
  reload(): void;
  /** Locked by a moderator: no new posts, reactions or edits. */
  readonly locked: boolean;
  /** What went wrong with the viewer's last reaction, deletion or lock (edits report their own). */
  readonly problem: string | null;
  dismissProblem(): void;
  loadOlder(): void;
  /** `attachmentIds`: uploaded files to post with it (then the text may be empty). */
  send(body: string, replyTo: Message | null, attachmentIds?: readonly string[]): void;
  retry(key: string): void;
  discard(key: string): void;
  /** Resolves to null once renamed, or to what went wrong. */
  rename(title: string): Promise<string | null>;
  /** Adds the viewer's reaction, or takes it back when it is already there. */
  toggleReaction(messageId: string, emoji: string): void;
  /** Resolves to null once saved, or to what went wrong. */
  edit(messageId: string, body: string): Promise<string | null>;
  /** Resolves to null once deleted, or to what went wrong. */
  remove(messageId: string, reason: string | null): Promise<string | null>;
  setLocked(locked: boolean): void;
  /** The viewer's read state as it was when the thread loaded (for the "New" divider); null until then. */
  readonly entry: EntryMarker | null;
  /** The newest log position this client has seen of the thread: what reading it up to now means. */
  readonly latestPosition: Position | null;
  /** The message the thread was last asked to show, and how finding it goes; null before any. */
  readonly jump: Jump | null;
  /** Loads older pages until `messageId` is loaded (or it proves not to be in this thread). Call once `status` is ready. */
  jumpTo(messageId: string): void;
  /** The bots invited to it and the replies they are writing (issue 15). */
  readonly bots: ThreadBots;
  /** Where the reader was when they last left this thread in this session (null: first visit, open at the bottom). */
  readonly initialAnchor: ScrollAnchor | null;
  /** Remembers where the reader is as they leave, for their return. */
  rememberAnchor(anchor: ScrollAnchor): void;
}

/** Full pages fetched at once while jumping. */
const jumpConcurrency = 4;

export function useThread(threadId: string, meId: string): OpenThread {
  const { client } = useThrds();
  // Back to a thread left earlier in this session: shown at once as it was, the feed resuming where it stopped.
  const [cached] = useState<ThreadSnapshot | undefined>(() => threadStates.get(threadStateKey(meId, threadId)));
  const [status, setStatus] = useState<ThreadStatus>(cached ? 'ready' : 'loading');
  const [title, setTitle] = useState(cached?.title ?? '');
  const [createdBy, setCreatedBy] = useState<string | null>(cached?.createdBy ?? null);
  const [log, setLog] = useState<MessageLog>(cached?.log ?? emptyMessageLog);
  const [olderCursor, setOlderCursor] = useState<string | null>(cached?.olderCursor ?? null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [from, setFrom] = useState<Position | null | undefined>(cached?.resumeFrom);
  // This person's sends to this thread that were never confirmed (offline, or cut short by a reload): they wait in the outbox.
  const [stored] = useState(() => entriesOfThread(loadOutbox(meId), threadId));
  const [pending, setPending] = useState<readonly PendingSend[]>(() => stored.map(toPendingSend));
  const [error, setError] = useState<string | null>(null);
  const [loadFailure, setLoadFailure] = useState<CombinedError | null>(null);
  /** Counts the asks for the thread: a retry after a failed load asks again. */
  const [loadAsk, setLoadAsk] = useState(0);
  const [locked, setLocked] = useState(cached?.locked ?? false);
  const [problem, setProblem] = useState<string | null>(null);
  const [entry, setEntry] = useState<EntryMarker | null>(cached?.entry ?? null);
  const [latestPosition, setLatestPosition] = useState<Position | null>(cached?.latestPosition ?? null);
  const [jump, setJump] = useState<Jump | null>(null);
  const settled = useRef(new Set<string>());
  const logRef = useRef(log);
  logRef.current = log;
  const olderCursorRef = useRef(olderCursor);
  olderCursorRef.current = olderCursor;
  /** The older page being fetched: scrolling and jumping share it rather than ask twice. */
  const olderInFlight = useRef<Promise<void> | null>(null);
  const jumpSeq = useRef(0);
  /** The files each unconfirmed send posts (by idempotency key), so a retry posts them again. */
  const filesOf = useRef(new Map<string, readonly string[]>(stored.filter((e) => e.attachmentIds.length > 0).map((e) => [e.key, e.attachmentIds])));
  /** Every send key this hook has shown: the outbox keeps this thread's others (another tab's). */
  const knownKeys = useRef(new Set(stored.map((e) => e.key)));
  const bots = useThreadBots(threadId);
  const { loaded: botsLoaded } = bots;
  /** Each paged message's cursor, so a trimmed snapshot can resume "older" from the oldest message it keeps. */
  const cursors = useRef(new Map<string, string>(cached?.cursors));
  /** The newest position the feed has delivered (or the one it joined at): where a return resumes it. */
  const deliveredAt = useRef<Position | null>(cached?.resumeFrom ?? null);
  const anchor = useRef<ScrollAnchor | null>(cached?.anchor ?? null);
  const rememberAnchor = useCallback((at: ScrollAnchor) => {
    anchor.current = at;
  }, []);

  useEffect(() => {
    if (cached) botsLoaded(cached.bots);
  }, [cached, botsLoaded]);

  // Leaving: what is loaded and where the feed stood go to the session's cache (only once it has loaded).
  const snapshot = useRef<Omit<ThreadSnapshot, 'cursors' | 'anchor' | 'resumeFrom'> | null>(null);
  snapshot.current = status === 'ready' ? { title, createdBy, locked, bots: bots.invited, entry, log, olderCursor, latestPosition } : null;
  useEffect(
    () => () => {
      const resumeFrom = deliveredAt.current;
      if (!snapshot.current || resumeFrom === null) return;
      threadStates.put(threadStateKey(meId, threadId), { ...snapshot.current, cursors: cursors.current, anchor: anchor.current, resumeFrom });
    },
    [meId, threadId],
  );

  useEffect(() => {
    if (cached) return;
    let cancelled = false;
    void client
      .query(ThreadQuery, { id: threadId, last: pageSize, before: null })
      .toPromise()
      .then((result) => {
        if (cancelled) return;
        const thread = result.data?.thread;
        setLoadFailure(thread ? null : (result.error ?? null));
        if (!thread) {
          setStatus(result.error ? 'error' : 'not-found');
          return;
        }
        const page = decodeNodes(thread.messages?.edges, decodeMessage);
        rememberCursors(cursors.current, thread.messages?.edges);
        setTitle(thread.title ?? '');
        setCreatedBy(thread.createdBy?.id ?? null);
        botsLoaded((thread.bots ?? []).flatMap((raw) => decodeUser(raw) ?? []));
        setLocked(thread.locked ?? false);
        setEntry({ lastReadPosition: thread.lastReadPosition ?? null, unreadCount: thread.unreadCount ?? 0 });
        setLatestPosition((p) => maxPosition(p, maxPosition(thread.position ?? null, page.at(-1)?.position ?? null)));
        setLog(addMessages(emptyMessageLog, page));
        setOlderCursor(previousCursorOf(thread.messages?.pageInfo ?? null));
        const join = joinPosition(thread.position, page);
        deliveredAt.current = join;
        setFrom(join);
        setStatus('ready');
      });
    return () => {
      cancelled = true;
    };
  }, [client, threadId, botsLoaded, cached, loadAsk]);
  const reload = useCallback(() => setLoadAsk((n) => n + 1), []);

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
    positionOf: (data) => positionOfEvent(data.threadEvents),
    onEvent: ({ threadEvents: event }) => {
      const at = positionOfEvent(event);
      if (at !== null) {
        setLatestPosition((p) => maxPosition(p, at));
        deliveredAt.current = maxPosition(deliveredAt.current, at);
      }
      switch (event?.__typename) {
        case 'ThreadRenamed':
          if (event.title) setTitle(event.title);
          break;
        case 'MessagePosted': {
          const message = decodeMessage(event.message);
          if (message) accept(message);
          break;
        }
        case 'ReactionAdded':
        case 'ReactionRemoved': {
          const userId = event.user?.id;
          const change = event.emoji && userId ? { emoji: event.emoji, userId, added: event.__typename === 'ReactionAdded' } : null;
          reviseFromEvent(decodeMessage(event.message), event.position ?? null, change);
          break;
        }
        case 'MessageEdited':
          reviseFromEvent(decodeMessage(event.message), event.position ?? null, null);
          break;
        case 'MessageDeleted': {
          const message = decodeMessage(event.message);
          if (message) reviseFromEvent(message, event.position ?? null, null);
          else if (event.messageId) {
            // Nothing readable came with it: the tombstone is made here.
            const { messageId, recordedAt } = event;
            setLog((l) => {
              const current = l.messages.find((m) => m.id === messageId);
              return current ? reviseMessage(l, tombstone(current, recordedAt ?? new Date().toISOString()), event.position ?? null) : l;
            });
          }
          break;
        }
        case 'ThreadLockChanged':
          if (event.locked != null) setLocked(event.locked);
          break;
        case 'BotInvited': {
          const bot = decodeUser(event.bot);
          if (bot) bots.invitedLive(bot);
          break;
        }
        case 'BotUninvited':
          if (event.bot?.id) bots.uninvitedLive(event.bot.id);
          break;
        case 'BotDraft': {
          // Ephemeral (no position): the reply as the bot writes it, shown until its message arrives.
          const bot = decodeUser(event.bot);
          if (bot && event.replyToId && event.text != null) bots.draft({ bot, replyToId: event.replyToId, text: event.text, ended: event.ended ?? false });
          break;
        }
      }
    },
    onError: (e: CombinedError) => setError(errorMessage(e)),
  });

  /**
   * A message's new state from the live feed. Its reactions say `reactedByMe`
   * for this viewer even if the delivery was resolved for someone else.
   */
  const reviseFromEvent = useCallback(
    (message: Message | null, at: Position | null, change: ReactionChange | null) => {
      if (!message) return;
      setLog((l) => {
        const known = l.messages.find((m) => m.id === message.id)?.reactions;
        return reviseMessage(l, { ...message, reactions: reactionsForViewer(message.reactions, known, change, meId) }, at);
      });
    },
    [meId],
  );

  /** Fetches the page before the oldest loaded message; resolves once it is in (or failed: `error` says). */
  const fetchOlder = useCallback((): Promise<void> => {
    const before = olderCursorRef.current;
    if (olderInFlight.current) return olderInFlight.current;
    if (!before) return Promise.resolve();
    setLoadingOlder(true);
    const request = client
      .query(ThreadQuery, { id: threadId, last: pageSize, before })
      .toPromise()
      .then((result) => {
        setLoadingOlder(false);
        const connection = result.data?.thread?.messages;
        if (!connection) {
          if (result.error) setError(errorMessage(result.error));
          throw new Error('older page not loaded');
        }
        const page = decodeNodes(connection.edges, decodeMessage);
        rememberCursors(cursors.current, connection.edges);
        const cursor = previousCursorOf(connection.pageInfo);
        // The refs move now, not at the next render, so a jump's next step sees this page.
        logRef.current = addMessages(logRef.current, page);
        olderCursorRef.current = cursor;
        setLog((l) => addMessages(l, page));
        setOlderCursor(cursor);
      })
      .finally(() => {
        olderInFlight.current = null;
      });
    olderInFlight.current = request;
    return request;
  }, [client, threadId]);

  /**
   * Loads everything from a little above `messageId` down to the oldest loaded
   * message (jumpPlan.ts): a lean walk back by cursors until it is met, then
   * the full pages in between, several at once, added in one go.
   */
  const loadToTarget = useCallback(
    async (messageId: string, current: () => boolean): Promise<'found' | 'missing' | 'cancelled'> => {
      const oldestLoaded = olderCursorRef.current;
      if (oldestLoaded === null) return 'missing';
      setLoadingOlder(true);
      const walked: { readonly id: string; readonly cursor: string }[] = [];
      let before = oldestLoaded;
      let hasEarlier = true;
      let index = -1;
      while (index < 0 && hasEarlier) {
        const result = await client.query(ThreadCursorsQuery, { id: threadId, last: cursorPageSize, before }).toPromise();
        if (!current()) return 'cancelled';
        const connection = result.data?.thread?.messages;
        if (!connection) {
          setError(result.error ? errorMessage(result.error) : 'Could not load older messages.');
          throw new Error('cursor page not loaded');
        }
        const edges = (connection.edges ?? []).flatMap((e) => (e?.node?.id && e.cursor ? [{ id: e.node.id, cursor: e.cursor }] : []));
        walked.unshift(...edges);
        hasEarlier = connection.pageInfo?.hasPreviousPage === true && connection.pageInfo.startCursor != null;
        before = connection.pageInfo?.startCursor ?? before;
        index = walked.findIndex((e) => e.id === messageId);
      }
      if (index < 0) return 'missing';
      const plan = pagesToTarget(
        walked.map((e) => e.cursor),
        index,
        oldestLoaded,
        hasEarlier,
      );
      const pages: Message[][] = [];
      for (let i = 0; i < plan.pages.length; i += jumpConcurrency) {
        const batch = plan.pages.slice(i, i + jumpConcurrency);
        const results = await Promise.all(batch.map((p) => client.query(ThreadQuery, { id: threadId, last: p.last, before: p.before }).toPromise()));
        if (!current()) return 'cancelled';
        for (const result of results) {
          const connection = result.data?.thread?.messages;
          if (!connection) {
            setError(result.error ? errorMessage(result.error) : 'Could not load older messages.');
            throw new Error('page not loaded');
          }
          rememberCursors(cursors.current, connection.edges);
          pages.push(decodeNodes(connection.edges, decodeMessage));
        }
      }
      // Newest page first: reversed, they are in log order.
      const older = pages.reverse().flat();
      logRef.current = addMessages(logRef.current, older);
      olderCursorRef.current = plan.olderCursor;
      setLog((l) => addMessages(l, older));
      setOlderCursor(plan.olderCursor);
      return logRef.current.ids.has(messageId) ? 'found' : 'missing';
    },
    [client, threadId],
  );

  const loadOlder = useCallback(() => {
    // A failure is already shown: fetchOlder puts what went wrong in `error`.
    fetchOlder().catch(() => undefined);
  }, [fetchOlder]);

  const jumpTo = useCallback(
    (messageId: string) => {
      const seq = ++jumpSeq.current;
      const current = () => jumpSeq.current === seq;
      const settle = (status: 'found' | 'missing') => {
        if (current()) setJump({ messageId, status, seq });
      };
      if (logRef.current.ids.has(messageId)) return settle('found');
      setJump({ messageId, status: 'loading', seq });
      void (async () => {
        // Where it is first: a message of another thread, or none, is not worth loading this one's history for.
        const where = await client.query(MessageWhereQuery, { id: messageId }).toPromise();
        const node = where.data?.node;
        const target = node?.__typename === 'Message' && node.thread?.id === threadId ? (node.position ?? null) : null;
        if (target === null) {
          // Only "no such message" (null, or an id that is not one: BAD_USER_INPUT) is missing; a network
          // failure, a rate limit or a busy server is not: say what went wrong and let the reader try again.
          if (where.error && errorCode(where.error) !== 'BAD_USER_INPUT') {
            setError(errorMessage(where.error));
            if (current()) setJump(null);
            return;
          }
          return settle(logRef.current.ids.has(messageId) ? 'found' : 'missing');
        }
        // A page the scroll asked for first, so the walk starts from what is loaded.
        await olderInFlight.current?.catch(() => undefined);
        if (!current()) return;
        const step = nextJumpStep(logRef.current.messages, messageId, target, olderCursorRef.current !== null);
        if (step !== 'load-older') return settle(step);
        const loading = loadToTarget(messageId, current);
        olderInFlight.current = loading.then(
          () => undefined,
          () => undefined,
        );
        try {
          const found = await loading;
          if (found !== 'cancelled') settle(found);
        } catch {
          // A request failed and `error` says why; the jump stops rather than ask again and again.
          if (current()) setJump(null);
        } finally {
          olderInFlight.current = null;
          setLoadingOlder(false);
        }
      })();
    },
    [client, threadId, loadToTarget],
  );

  /** One try; resolves to `sent`, or to the send's status after the failure. */
  const attempt = useCallback(
    (send: PendingSend): Promise<'sent' | PendingSend['status']> => {
      return client
        .mutation(PostMessageMutation, {
          input: {
            threadId,
            body: send.body,
            replyToId: send.replyTo?.id ?? null,
            idempotencyKey: send.key,
            ...attachmentIdsOf(filesOf.current.get(send.key)),
          },
        })
        .toPromise()
        .then((result) => {
          const message = decodeMessage(result.data?.postMessage?.message);
          if (message) {
            setLog((l) => addMessages(l, [message]));
            setLatestPosition((p) => maxPosition(p, message.position));
            settled.current.add(message.id);
            filesOf.current.delete(send.key);
            setPending((p) => p.filter((x) => x.key !== send.key));
            return 'sent';
          }
          const failure = result.error;
          const code = failure ? errorCode(failure) : 'UNKNOWN';
          const permanent = code === 'BAD_USER_INPUT' || code === 'FORBIDDEN' || code === 'NOT_FOUND';
          // "Not now" (the server is busy or the rate is spent; nothing was written): the same send,
          // with the same idempotency key, goes again by itself when the server says, a few times.
          const waitSeconds = failure ? retryAfterSeconds(failure) : undefined;
          const waiting = waitSeconds !== undefined && send.autoRetries < MAX_AUTO_RETRIES;
          // The server was not reached: nothing was refused, so it waits in the outbox for the connection.
          const offline = code === 'NETWORK';
          const next: PendingSend = {
            ...send,
            status: offline ? 'offline' : waiting ? 'waiting' : 'failed',
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
              void attemptRef.current({ ...next, status: 'sending' });
            }, waitSeconds * 1000);
            retryTimers.current.add(timer);
          }
          return next.status;
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

  // The outbox mirrors the unconfirmed sends, so a reload or a closed tab does not lose them.
  useEffect(() => {
    for (const p of pending) knownKeys.current.add(p.key);
    saveThreadOutbox(meId, threadId, pending.map((p) => toOutboxEntry(p, threadId, filesOf.current.get(p.key) ?? [])), knownKeys.current);
  }, [meId, threadId, pending]);

  /**
   * Sends what waits for the connection, one at a time and oldest first, so
   * the thread gets them in the order written; stops at the first that still
   * cannot reach the server. Each goes under its original key: one message however often it is tried.
   */
  const flushing = useRef(false);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const flush = useCallback(async () => {
    if (flushing.current || !navigator.onLine) return;
    flushing.current = true;
    try {
      while (alive.current && !pendingRef.current.some((p) => p.status === 'waiting')) {
        const [next] = sendsToFlush(pendingRef.current);
        if (!next) return;
        const sending: PendingSend = { ...next, status: 'sending', error: null };
        pendingRef.current = pendingRef.current.map((x) => (x.key === next.key ? sending : x));
        setPending((p) => p.map((x) => (x.key === next.key ? sending : x)));
        if ((await attemptRef.current(sending)) === 'offline') return;
      }
    } finally {
      flushing.current = false;
    }
  }, []);

  // When to try again: the live connection is back, the browser says online, and every few seconds
  // meanwhile (the socket can be up while HTTP requests fail).
  const connection = useConnectionState();
  const waitingForConnection = pending.some((p) => p.status === 'offline');
  // On the transition only: a send that just failed again waits for the timer, not a tight loop.
  useEffect(() => {
    if (status === 'ready' && connection === 'live') void flush();
  }, [status, connection, flush]);
  useEffect(() => {
    if (status !== 'ready' || !waitingForConnection) return;
    const again = () => void flush();
    const timer = setInterval(again, OUTBOX_RETRY_MS);
    window.addEventListener('online', again);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', again);
    };
  }, [status, waitingForConnection, flush]);

  const send = useCallback(
    (body: string, replyTo: Message | null, attachmentIds: readonly string[] = []) => {
      const key = newIdempotencyKey();
      if (attachmentIds.length > 0) filesOf.current.set(key, attachmentIds);
      // Offline, or behind earlier sends still waiting: it joins the queue, so the order written is kept.
      const queued = !navigator.onLine || flushing.current || pendingRef.current.some((p) => p.status === 'offline');
      const item: PendingSend = { key, body, replyTo, status: queued ? 'offline' : 'sending', error: null, permanent: false, autoRetries: 0 };
      pendingRef.current = [...pendingRef.current, item];
      setPending((p) => [...p, item]);
      if (queued) void flush();
      else void attempt(item);
    },
    [attempt, flush],
  );

  const retry = useCallback(
    (key: string) => {
      const item = pending.find((p) => p.key === key);
      if (!item || item.status !== 'failed') return;
      const again: PendingSend = { ...item, status: 'sending', error: null, autoRetries: 0 };
      setPending((p) => p.map((x) => (x.key === key ? again : x)));
      void attempt(again);
    },
    [pending, attempt],
  );

  const discard = useCallback((key: string) => {
    filesOf.current.delete(key);
    setPending((p) => p.filter((x) => x.key !== key));
  }, []);

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

  const toggleReaction = useCallback(
    (messageId: string, emoji: string) => {
      const mine = logRef.current.messages.find((m) => m.id === messageId)?.reactions.some((g) => g.emoji === emoji && g.reactedByMe);
      const input = { input: { messageId, emoji } };
      const answer = mine
        ? client.mutation(RemoveReactionMutation, input).toPromise().then((r) => ({ payload: r.data?.removeReaction, error: r.error }))
        : client.mutation(AddReactionMutation, input).toPromise().then((r) => ({ payload: r.data?.addReaction, error: r.error }));
      void answer.then(({ payload, error: failure }) => {
        const message = decodeMessage(payload?.message);
        if (message) {
          setLog((l) => reviseMessage(l, message, payload?.position ?? null));
          setProblem(null);
        } else {
          setProblem(failure ? errorMessage(failure) : 'Could not change the reaction.');
        }
      });
    },
    [client],
  );

  const edit = useCallback(
    async (messageId: string, body: string) => {
      const result = await client.mutation(EditMessageMutation, { input: { messageId, body, idempotencyKey: newIdempotencyKey() } }).toPromise();
      const payload = result.data?.editMessage;
      const message = decodeMessage(payload?.message);
      if (!message) return result.error ? errorMessage(result.error) : 'Could not save the edit.';
      setLog((l) => reviseMessage(l, message, payload?.position ?? null));
      return null;
    },
    [client],
  );

  const remove = useCallback(
    async (messageId: string, reason: string | null) => {
      const result = await client.mutation(DeleteMessageMutation, { input: { messageId, reason } }).toPromise();
      if (!result.data?.deleteMessage?.messageId) return result.error ? errorMessage(result.error) : 'Could not delete the message.';
      // Shown at once; the MessageDeleted event brings the server's tombstone in its place.
      setLog((l) => {
        const current = l.messages.find((m) => m.id === messageId);
        return current ? reviseMessage(l, tombstone(current, new Date().toISOString()), null) : l;
      });
      return null;
    },
    [client],
  );

  const changeLock = useCallback(
    (next: boolean) => {
      void client
        .mutation(LockThreadMutation, { input: { threadId, locked: next } })
        .toPromise()
        .then((result) => {
          const answer = result.data?.lockThread?.locked;
          if (answer != null) {
            setLocked(answer);
            setProblem(null);
          } else {
            setProblem(result.error ? errorMessage(result.error) : 'Could not change the lock.');
          }
        });
    },
    [client, threadId],
  );

  const dismissProblem = useCallback(() => setProblem(null), []);

  return {
    status,
    entry,
    latestPosition,
    locked,
    problem,
    dismissProblem,
    toggleReaction,
    edit,
    remove,
    setLocked: changeLock,
    title,
    canRename: createdBy !== null && createdBy === meId,
    rename,
    messages: log.messages,
    pending,
    hasOlder: olderCursor !== null,
    loadingOlder,
    jump,
    jumpTo,
    error,
    loadFailure,
    reload,
    loadOlder,
    send,
    retry,
    discard,
    bots,
    initialAnchor: cached?.anchor ?? null,
    rememberAnchor,
  };
}

/** Notes the cursor of each message a page brought. */
function rememberCursors(into: Map<string, string>, edges: readonly ({ readonly cursor?: string | null; readonly node?: { readonly id?: string | null } | null } | null)[] | null | undefined): void {
  for (const edge of edges ?? []) if (edge?.node?.id && edge.cursor) into.set(edge.node.id, edge.cursor);
}

/** A delivery's log position; null for what is not in the log (a BotDraft). */
function positionOfEvent(event: object | null | undefined): Position | null {
  return event && 'position' in event && typeof event.position === 'string' ? event.position : null;
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

/** A message with its attachments (api/decode.ts leaves them out). */
/** The input field for a send's files: left out when there are none, as before attachments existed. */
function attachmentIdsOf(ids: readonly string[] | undefined): { attachmentIds?: string[] } {
  return ids && ids.length > 0 ? { attachmentIds: [...ids] } : {};
}
