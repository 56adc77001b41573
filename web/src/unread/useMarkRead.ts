/**
 * Marks the open thread read up to the newest position seen, while the
 * reader can see it: the tab visible and focused. Messages arriving in a
 * burst are read once it calms down (debounced), and coming back to the tab
 * reads what arrived meanwhile. The answer carries the thread's new counts.
 */
import { useEffect, useRef } from 'react';
import { useThrds } from '../api/ThrdsContext.tsx';
import { MarkReadMutation } from '../api/operations.ts';
import { decodeThreadUnread } from '../api/decode.ts';
import { isAfter, maxPosition, type Position } from '../api/position.ts';
import type { ThreadUnread } from './unreadState.ts';

const settleMs = 600;

function reading(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/** `readUpTo`: where the marker already stood on entry (nothing to send until something newer is seen). */
export function useMarkRead(
  threadId: string,
  latest: Position | null,
  readUpTo: Position | null,
  onRead: (threadId: string, unread: ThreadUnread) => void,
): void {
  const { client } = useThrds();
  const sent = useRef<Position | null>(null);
  const latestRef = useRef(latest);
  latestRef.current = latest;
  const readUpToRef = useRef(readUpTo);
  readUpToRef.current = readUpTo;
  const onReadRef = useRef(onRead);
  onReadRef.current = onRead;
  const schedule = useRef<(() => void) | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const markNow = () => {
      const position = latestRef.current;
      if (position === null || !isAfter(position, maxPosition(sent.current, readUpToRef.current)) || !reading()) return;
      sent.current = position;
      void client
        .mutation(MarkReadMutation, { input: { threadId, position } })
        .toPromise()
        .then((result) => {
          const answer = decodeThreadUnread(result.data?.markRead);
          if (answer) onReadRef.current(answer.id, answer.unread);
          // Not marked (offline, rate-limited): the next change or return to the tab tries again.
          else if (sent.current === position) sent.current = null;
        });
    };
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(markNow, settleMs);
    };
    window.addEventListener('focus', soon);
    document.addEventListener('visibilitychange', soon);
    schedule.current = soon;
    return () => {
      clearTimeout(timer);
      window.removeEventListener('focus', soon);
      document.removeEventListener('visibilitychange', soon);
      schedule.current = null;
    };
  }, [client, threadId]);

  useEffect(() => {
    if (latest !== null) schedule.current?.();
  }, [latest]);
}
