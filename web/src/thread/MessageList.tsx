/**
 * The scrolling message log. It stays pinned to the bottom while the reader
 * is there; when they have scrolled up, new messages wait behind a marker
 * instead of yanking the view. Near the top it asks for older messages and
 * keeps the reader's place when they are inserted above. Asked to show one
 * message (a jump), it scrolls it to the middle, highlights it for a moment
 * and gives it focus, so a screen reader reads it.
 */
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Message } from '../api/operations.ts';
import { MessageItem } from './MessageItem.tsx';
import { PendingItem } from './PendingItem.tsx';
import type { PendingSend } from './pendingSends.ts';
import type { BotDraft } from '../bots/botDrafts.ts';
import { BotDraftBubble } from '../bots/BotDraftBubble.tsx';
import { DaySeparator } from '../identity/DaySeparator.tsx';
import { dayKey } from '../identity/dayLabel.ts';
import { idsWithSharedNames } from '../identity/sharedNames.ts';

export interface MessageListProps {
  readonly messages: readonly Message[];
  readonly pending: readonly PendingSend[];
  readonly meId: string;
  /** Mentions of this name are highlighted. */
  readonly meUsername: string;
  /** The "New" divider goes above this message (where the viewer had stopped reading on entry). */
  readonly dividerId: string | null;
  readonly hasOlder: boolean;
  readonly loadingOlder: boolean;
  readonly onLoadOlder: () => void;
  readonly onReply: (message: Message) => void;
  /** The message being edited in place, if any. */
  readonly editingId: string | null;
  readonly locked: boolean;
  /** A moderator or admin may delete anyone's message. */
  readonly canModerate: boolean;
  readonly onToggleReaction: (messageId: string, emoji: string) => void;
  readonly onEdit: (messageId: string | null) => void;
  readonly onSaveEdit: (messageId: string, body: string) => Promise<string | null>;
  readonly onDelete: (message: Message) => void;
  readonly onRetry: (key: string) => void;
  readonly onDiscard: (key: string) => void;
  /** Asks for a message to be shown (a quote's original). */
  readonly onJump?: (messageId: string) => void;
  /** The message to bring into view and highlight, once per `seq`. */
  readonly focus?: { readonly messageId: string; readonly seq: number } | null;
  /** Replies bots are writing (issue 15), shown under the messages until each one's message arrives. */
  readonly drafts?: readonly BotDraft[];
}

/** How long a jumped-to message stays highlighted. */
export const jumpHighlightMs = 2500;

const nearBottomPx = 48;
const groupWithinMs = 5 * 60_000;

/** Consecutive messages by one author, close in time and on the same day, read as one block. */
function continues(previous: Message | undefined, message: Message, newDay: boolean): boolean {
  return (
    previous !== undefined &&
    !newDay &&
    previous.author.id === message.author.id &&
    message.replyTo === null &&
    Date.parse(message.postedAt) - Date.parse(previous.postedAt) < groupWithinMs
  );
}

/** For each message, whether it is the first of its calendar day (in the viewer's time zone): a separator goes above it. */
function dayStarts(messages: readonly Message[]): readonly boolean[] {
  let previous: string | undefined;
  return messages.map((message) => {
    const day = dayKey(new Date(message.postedAt));
    const starts = day !== previous;
    previous = day;
    return starts;
  });
}
const nearTopPx = 400;

export function MessageList(props: MessageListProps) {
  const { messages, pending, meId, hasOlder, loadingOlder, onLoadOlder } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const before = useRef<{ first: string | undefined; last: string | undefined; height: number; pending: number } | null>(null);
  const [unseen, setUnseen] = useState(0);
  // Two authors in view with the same display name are told apart by their @username.
  const sharedNames = useMemo(() => idsWithSharedNames(messages.map((m) => m.author)), [messages]);
  const newDays = useMemo(() => dayStarts(messages), [messages]);

  const scrollToBottom = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setUnseen(0);
  }, []);

  // Runs before paint, so an insertion above never shows as a jump.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const prev = before.current;
    const first = messages[0]?.id;
    const last = messages.at(-1)?.id;
    if (!prev) {
      el.scrollTop = el.scrollHeight;
    } else if (prev.first !== first && prev.last === last) {
      el.scrollTop += el.scrollHeight - prev.height;
    } else if (prev.last !== last || pending.length > prev.pending) {
      const grew = messages.length - messages.findIndex((m) => m.id === prev.last) - 1;
      const ownSend = pending.length > prev.pending || messages.at(-1)?.author.id === meId;
      if (atBottom.current || ownSend) scrollToBottom();
      else setUnseen((n) => n + Math.max(1, grew));
    }
    before.current = { first, last, height: el.scrollHeight, pending: pending.length };
  }, [messages, pending, meId, scrollToBottom]);

  // A draft growing under the log keeps a reader who is at the bottom there; one reading history stays put.
  const drafts = props.drafts;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && drafts && drafts.length > 0 && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [drafts]);

  // After the place-keeping above, so the scroll lands where the message is once older pages are in.
  const shownSeq = useRef<number | null>(null);
  const highlighted = useRef<{ readonly target: HTMLElement; readonly timer: ReturnType<typeof setTimeout> } | null>(null);
  const focus = props.focus ?? null;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !focus || shownSeq.current === focus.seq) return;
    const target = el.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(focus.messageId)}"]`);
    if (!target) return;
    shownSeq.current = focus.seq;
    target.scrollIntoView({ block: 'center' });
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < nearBottomPx;
    target.tabIndex = -1;
    target.focus({ preventScroll: true });
    const previous = highlighted.current;
    if (previous) {
      clearTimeout(previous.timer);
      previous.target.classList.remove('jump-target');
    }
    target.classList.add('jump-target');
    highlighted.current = { target, timer: setTimeout(() => target.classList.remove('jump-target'), jumpHighlightMs) };
  }, [focus, messages]);
  useEffect(() => () => clearTimeout(highlighted.current?.timer), []);

  // A short first page leaves nothing to scroll; keep loading until there is.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && hasOlder && !loadingOlder && el.scrollHeight <= el.clientHeight + nearTopPx) onLoadOlder();
  }, [messages, hasOlder, loadingOlder, onLoadOlder]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < nearBottomPx;
    if (atBottom.current && unseen) setUnseen(0);
    if (el.scrollTop < nearTopPx && hasOlder && !loadingOlder) onLoadOlder();
  };

  return (
    <div className="message-scroller" ref={scroller} onScroll={onScroll}>
      {hasOlder ? (
        <p className="history-edge" aria-live="polite">
          {loadingOlder ? 'Loading older messages…' : (
            <button type="button" className="link-button" onClick={onLoadOlder}>
              Load older messages
            </button>
          )}
        </p>
      ) : (
        messages.length > 0 && <p className="history-edge">This is the start of the thread.</p>
      )}
      {/* The log role on a wrapper: the <ol> keeps list semantics. Only the last message's controls are in the tab order. */}
      <div className="message-log" role="log" aria-label="Messages" aria-live="polite" aria-relevant="additions">
      <ol className="messages">
        {messages.map((message, i) => (
          <Fragment key={message.id}>
          {newDays[i] && <DaySeparator iso={message.postedAt} />}
          {message.id === props.dividerId && (
            <li className="new-divider">
              <span>New</span>
              <span className="visually-hidden"> messages below</span>
            </li>
          )}
          <MessageItem
            message={message}
            meId={meId}
            meUsername={props.meUsername}
            mine={message.author.id === meId}
            continued={continues(messages[i - 1], message, newDays[i] ?? true)}
            sharedName={sharedNames.has(message.author.id)}
            editing={props.editingId === message.id}
            locked={props.locked}
            mayDelete={message.author.id === meId || props.canModerate}
            onReply={props.onReply}
            onToggleReaction={props.onToggleReaction}
            onEdit={props.onEdit}
            onSaveEdit={props.onSaveEdit}
            onDelete={props.onDelete}
            controlsTabbable={i === messages.length - 1}
            {...(props.onJump ? { onJump: props.onJump } : {})}
          />
          </Fragment>
        ))}
        {pending.map((send) => (
          <PendingItem key={send.key} send={send} onRetry={props.onRetry} onDiscard={props.onDiscard} />
        ))}
        {drafts?.map((draft) => (
          <BotDraftBubble
            key={`${draft.bot.id}:${draft.replyToId}`}
            draft={draft}
            answering={messages.find((m) => m.id === draft.replyToId)}
            meUsername={props.meUsername}
            onJump={props.onJump}
          />
        ))}
      </ol>
      </div>
      {messages.length === 0 && pending.length === 0 && <p className="empty">No messages yet. Say hello.</p>}
      {unseen > 0 && (
        <button type="button" className="new-messages" onClick={scrollToBottom}>
          {unseen === 1 ? '1 new message' : `${unseen} new messages`} ↓
        </button>
      )}
    </div>
  );
}
