/**
 * The scrolling message log, virtualized (react-virtuoso): only the rows near
 * the view are in the DOM, so a thread of 10,000 messages costs what a
 * screenful does. It stays pinned to the bottom while the reader is there;
 * when they have scrolled up, new messages wait behind a marker instead of
 * yanking the view. Near the top it asks for older messages and keeps the
 * reader's place when they are inserted above (`firstItemIndex`). Asked to
 * show one message (a jump), it scrolls it to the middle, highlights it for a
 * moment and gives it focus, so a screen reader reads it.
 *
 * For the keyboard the list is one tab stop: the active message (tabIndex 0,
 * the others -1) moves with the arrow keys, PageUp/PageDown, Home/End; no
 * message's controls are tab stops, and Enter opens the active one's actions;
 * the active one's links and files follow it in the tab order (MessageItem). The rows are the `<li>`s of a real `<ol>`;
 * the log role sits on a wrapper, and a separate live region reads out what
 * arrives (rows mounting while the reader scrolls are not news).
 */
import { forwardRef, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type ReactNode } from 'react';
import { Virtuoso, type ItemProps, type ListProps, type ScrollerProps, type VirtuosoHandle } from 'react-virtuoso';
import type { Message } from '../api/operations.ts';
import { MessageItem, snippet } from './MessageItem.tsx';
import { PendingItem } from './PendingItem.tsx';
import type { PendingSend } from './pendingSends.ts';
import type { BotDraft } from '../bots/botDrafts.ts';
import { BotDraftBubble } from '../bots/BotDraftBubble.tsx';
import { DaySeparator } from '../identity/DaySeparator.tsx';
import { idsWithSharedNames } from '../identity/sharedNames.ts';
import { listRows, shiftedFirstIndex, type ListRow } from './listRows.ts';
import { ListRowContext, useListRow, type ListRowAttributes } from './listRow.ts';
import { rovingTarget } from './rovingIndex.ts';
import { anchorOf, atBottom as bottomAnchor, type ScrollAnchor } from './scrollAnchor.ts';
import './list.css';

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
  /** Where to open (the reader's place when they last left this thread); the bottom when null. */
  readonly initialAnchor?: ScrollAnchor | null;
  /** Told where the reader is when the list goes away, so a return can put them back. */
  readonly onLeave?: (anchor: ScrollAnchor) => void;
}

/** How long a jumped-to message stays highlighted. */
export const jumpHighlightMs = 2500;

/** Large enough that every older message of a thread fits above it (Virtuoso wants it positive). */
const firstIndexBase = 10_000_000;
/** Frames to wait for a row Virtuoso was asked to scroll to before giving up on it. */
const renderWaitFrames = 300;
const nearTopPx = 400;
/** Frames a scroll to the bottom follows the height for, as rows below are measured. */
const bottomSettleFrames = 8;
/** Frames a return keeps correcting its place for. */
const restoreFrames = 90;

/** What the module-level row, list, header and footer components read (they must keep their identity across renders). */
interface ListContext {
  readonly props: MessageListProps;
  readonly activeKey: string | null;
  readonly sharedNames: ReadonlySet<string>;
  readonly onListKeyDown: (event: KeyboardEvent<HTMLOListElement>) => void;
  readonly onListFocus: (event: FocusEvent<HTMLOListElement>) => void;
}

export function MessageList(props: MessageListProps) {
  const { messages, pending, meId, hasOlder, loadingOlder, onLoadOlder } = props;
  const virtuoso = useRef<VirtuosoHandle>(null);
  const scroller = useRef<HTMLElement | null>(null);
  const atBottom = useRef(props.initialAnchor?.kind !== 'message');
  const [unseen, setUnseen] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const [activeKey, setActiveKey] = useState<string | null>(null);
  // Two authors in view with the same display name are told apart by their @username.
  const sharedNames = useMemo(() => idsWithSharedNames(messages.map((m) => m.author)), [messages]);
  const rows = useMemo(() => listRows(messages, props.dividerId), [messages, props.dividerId]);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const messageKeys = useMemo(() => rows.flatMap((r) => (r.kind === 'message' ? [r.key] : [])), [rows]);
  const shownActive = activeKey !== null && messageKeys.includes(activeKey) ? activeKey : (messageKeys.at(-1) ?? null);

  // Older rows prepended keep the first message's absolute index, so Virtuoso keeps the reader's place.
  const base = useRef<{ rows: readonly ListRow[]; first: number } | null>(null);
  const firstItemIndex = useMemo(() => {
    const before = base.current;
    const first = before ? shiftedFirstIndex(before.first, before.rows, rows, before.rows.find((r) => r.kind === 'message')?.key) : firstIndexBase;
    base.current = { rows, first };
    return first;
  }, [rows]);

  const [initialTopMostItemIndex] = useState(() => {
    const anchor = props.initialAnchor;
    const index = anchor?.kind === 'message' ? rows.findIndex((r) => r.key === anchor.messageId) : -1;
    return anchor?.kind === 'message' && index >= 0
      ? { index, align: 'start' as const, offset: -anchor.offset }
      : { index: 'LAST' as const, align: 'end' as const };
  });

  // Back where the reader was: the first approximation above is corrected until the anchor row sits at its old
  // offset, as rows are measured (a second or so; not longer, so as not to fight the reader's own scrolling).
  const [restoreTo] = useState(props.initialAnchor);
  useEffect(() => {
    if (restoreTo?.kind !== 'message') return;
    let frames = 0;
    let steady = 0;
    let frame = 0;
    const place = () => {
      const index = rowsRef.current.findIndex((r) => r.key === restoreTo.messageId);
      if (index >= 0) virtuoso.current?.scrollToIndex({ index, align: 'start', offset: -restoreTo.offset });
    };
    const look = () => {
      const el = scroller.current;
      const row = el?.querySelector<HTMLElement>(`.messages > li[data-message-id="${CSS.escape(restoreTo.messageId)}"]`);
      const at = row && el ? row.getBoundingClientRect().top - el.getBoundingClientRect().top : Number.NaN;
      steady = Math.abs(at - restoreTo.offset) < 4 ? steady + 1 : 0;
      if (steady >= 3 || ++frames > restoreFrames) return;
      if (steady === 0 && frames % 10 === 0) place();
      frame = requestAnimationFrame(look);
    };
    place();
    frame = requestAnimationFrame(look);
    return () => cancelAnimationFrame(frame);
  }, [restoreTo]);

  // The height below the view is an estimate until the rows there are measured: Virtuoso goes to the last row,
  // then the scroller follows the settling height for a few frames, down to the sends under the rows.
  const scrollToBottom = useCallback(() => {
    virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' });
    let frames = 0;
    const settle = () => {
      const el = scroller.current;
      if (el) el.scrollTop = el.scrollHeight;
      if (el && ++frames < bottomSettleFrames) requestAnimationFrame(settle);
    };
    requestAnimationFrame(settle);
    atBottom.current = true;
    setUnseen(0);
  }, []);

  // New messages at the end: follow them when at the bottom or when they are the viewer's own; otherwise count them.
  const previous = useRef({ last: messages.at(-1)?.id, pending: pending.length });
  useLayoutEffect(() => {
    const before = previous.current;
    const last = messages.at(-1);
    previous.current = { last: last?.id, pending: pending.length };
    const sent = pending.length > before.pending;
    if (last?.id === before.last && !sent) return;
    const lastIndex = before.last === undefined ? -1 : messages.findIndex((m) => m.id === before.last);
    const arrived = messages.slice(lastIndex + 1);
    const fromOthers = arrived.filter((m) => m.author.id !== meId);
    const latest = fromOthers.at(-1);
    if (latest && before.last !== undefined) setAnnouncement(`${latest.author.displayName}: ${snippet(latest.body)}`);
    if (atBottom.current || sent || last?.author.id === meId) requestAnimationFrame(scrollToBottom);
    else if (fromOthers.length > 0 && before.last !== undefined) setUnseen((n) => n + fromOthers.length);
  }, [messages, pending, meId, scrollToBottom]);

  // A draft growing under the log keeps a reader who is at the bottom there; one reading history stays put.
  const drafts = props.drafts;
  useLayoutEffect(() => {
    if (drafts && drafts.length > 0 && atBottom.current) scrollToBottom();
  }, [drafts, scrollToBottom]);

  /**
   * Scrolls the row of `key` into view and calls `then` with it once it is
   * rendered and in view. Rows not measured yet move as they are, and older
   * pages may just have been added above, so the scroll is asked for again
   * until the row holds still in view.
   */
  const reveal = useCallback((key: string, align: 'center' | 'nearest', then: (row: HTMLElement) => void) => {
    let frames = 0;
    let steady = 0;
    const scroll = () => {
      const index = rowsRef.current.findIndex((r) => r.key === key);
      if (index < 0) return;
      if (align === 'center') virtuoso.current?.scrollToIndex({ index, align: 'center' });
      else virtuoso.current?.scrollIntoView({ index });
    };
    const look = () => {
      const el = scroller.current;
      const row = el?.querySelector<HTMLElement>(`.messages > li[data-message-id="${CSS.escape(key)}"]`);
      const view = el?.getBoundingClientRect();
      const box = row?.getBoundingClientRect();
      const inView = view !== undefined && box !== undefined && box.bottom > view.top && box.top < view.bottom;
      // Two frames in view: sizes measured on the way have settled.
      steady = row && inView ? steady + 1 : 0;
      if (row && steady >= 2) return then(row);
      if (++frames >= renderWaitFrames) return;
      if (steady === 0 && frames % 15 === 0) scroll();
      requestAnimationFrame(look);
    };
    scroll();
    requestAnimationFrame(look);
  }, []);

  const shownSeq = useRef<number | null>(null);
  const highlighted = useRef<{ readonly target: HTMLElement; readonly timer: ReturnType<typeof setTimeout> } | null>(null);
  const focus = props.focus ?? null;
  useEffect(() => {
    if (!focus || shownSeq.current === focus.seq) return;
    const index = rows.findIndex((r) => r.key === focus.messageId);
    if (index < 0) return;
    shownSeq.current = focus.seq;
    setActiveKey(focus.messageId);
    atBottom.current = false;
    reveal(focus.messageId, 'center', (target) => {
      target.focus({ preventScroll: true });
      const earlier = highlighted.current;
      if (earlier) {
        clearTimeout(earlier.timer);
        earlier.target.classList.remove('jump-target');
      }
      target.classList.add('jump-target');
      highlighted.current = { target, timer: setTimeout(() => target.classList.remove('jump-target'), jumpHighlightMs) };
    });
  }, [focus, rows, reveal]);
  useEffect(() => () => clearTimeout(highlighted.current?.timer), []);

  const older = useRef({ hasOlder, loadingOlder, onLoadOlder });
  older.current = { hasOlder, loadingOlder, onLoadOlder };
  const startReached = useCallback(() => {
    const { hasOlder: more, loadingOlder: busy, onLoadOlder: load } = older.current;
    if (more && !busy) load();
  }, []);

  // A short first page leaves nothing to scroll (so no "top reached"); keep loading until there is. Judged on
  // the height Virtuoso reports, so not before it has drawn the rows.
  const onListHeight = useCallback((height: number) => {
    const el = scroller.current;
    if (el && height <= el.clientHeight + nearTopPx) startReached();
  }, [startReached]);

  const onAtBottom = useCallback((bottom: boolean) => {
    atBottom.current = bottom;
    if (bottom) setUnseen(0);
  }, []);

  /** The rendered message rows with their place in the view. */
  const renderedRows = useCallback(() => {
    const el = scroller.current;
    if (!el) return { rows: [], viewTop: 0, viewBottom: 0 };
    const view = el.getBoundingClientRect();
    const rendered = [...el.querySelectorAll<HTMLElement>('.messages > li[data-message-id]')].map((row) => {
      const box = row.getBoundingClientRect();
      return { id: row.dataset.messageId ?? '', top: box.top, bottom: box.bottom };
    });
    return { rows: rendered, viewTop: view.top, viewBottom: view.bottom };
  }, []);

  // The list must keep a tab stop: once scrolling stops with the active message gone from the DOM, the last one in view takes over.
  const onScrolling = useCallback(
    (scrolling: boolean) => {
      if (scrolling || scroller.current?.contains(document.activeElement)) return;
      const { rows: rendered, viewTop, viewBottom } = renderedRows();
      if (rendered.some((r) => r.id === shownActive)) return;
      const inView = rendered.filter((r) => r.bottom > viewTop && r.top < viewBottom);
      const next = inView.at(-1)?.id;
      if (next) setActiveKey(next);
    },
    [renderedRows, shownActive],
  );

  // Leaving: remember the place (Layout cleanup runs while the rows are still in the DOM).
  const onLeave = useRef(props.onLeave);
  onLeave.current = props.onLeave;
  useLayoutEffect(
    () => () => {
      if (!onLeave.current) return;
      const { rows: rendered, viewTop } = renderedRows();
      const anchor = atBottom.current ? bottomAnchor : (anchorOf(rendered, viewTop) ?? bottomAnchor);
      onLeave.current(anchor);
    },
    [renderedRows],
  );

  // The message the keys move from: the one last made active, even before focus has reached it (focus
  // follows once the row is drawn and settled, a few frames later; a held arrow key is quicker than that).
  const latestActive = useRef<string | null>(null);
  const moveTo = useCallback(
    (key: string) => {
      latestActive.current = key;
      setActiveKey(key);
      reveal(key, 'nearest', (row) => row.focus({ preventScroll: true }));
    },
    [reveal],
  );

  const onListKeyDown = useCallback(
    (event: KeyboardEvent<HTMLOListElement>) => {
      const target = event.target as HTMLElement;
      // Keys inside a message's controls (a picker, the edit form) are theirs.
      if (!target.matches('.messages > li[data-message-id]')) return;
      // The message's controls are out of the tab order (the list is one stop): Enter opens its actions menu.
      if (event.key === 'Enter') {
        const actions = target.querySelector<HTMLButtonElement>('.message-actions-button');
        if (actions) {
          event.preventDefault();
          actions.click();
        }
        return;
      }
      const from = latestActive.current !== null && messageKeys.includes(latestActive.current) ? latestActive.current : (target.dataset.messageId ?? '');
      const next = rovingTarget(event.key, messageKeys.indexOf(from), messageKeys.length);
      const key = next === null ? undefined : messageKeys[next];
      if (key === undefined) return;
      event.preventDefault();
      moveTo(key);
    },
    [messageKeys, moveTo],
  );

  const onListFocus = useCallback((event: FocusEvent<HTMLOListElement>) => {
    // Focus anywhere in a message (its row, or a control clicked) makes it the active one.
    const id = (event.target as HTMLElement).closest<HTMLElement>('li[data-message-id]')?.dataset.messageId;
    if (!id) return;
    latestActive.current = id;
    setActiveKey(id);
  }, []);

  const context = useMemo<ListContext>(
    () => ({ props, activeKey: shownActive, sharedNames, onListKeyDown, onListFocus }),
    [props, shownActive, sharedNames, onListKeyDown, onListFocus],
  );
  const setScroller = useCallback((el: HTMLElement | Window | null) => {
    scroller.current = el instanceof HTMLElement ? el : null;
  }, []);

  return (
    <div className="message-list">
      <div className="message-log" role="log" aria-label="Messages" aria-live="off">
        <Virtuoso<ListRow, ListContext>
          ref={virtuoso}
          scrollerRef={setScroller}
          className="message-scroller"
          data={rows}
          context={context}
          firstItemIndex={firstItemIndex}
          initialTopMostItemIndex={initialTopMostItemIndex}
          computeItemKey={computeItemKey}
          itemContent={rowContent}
          components={components}
          followOutput={followOutput}
          atBottomStateChange={onAtBottom}
          atBottomThreshold={48}
          startReached={startReached}
          totalListHeightChanged={onListHeight}
          isScrolling={onScrolling}
          increaseViewportBy={{ top: 200, bottom: 200 }}
          defaultItemHeight={64}
          itemSize={exactHeight}
        />
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {unseen > 0 && (
        <button type="button" className="new-messages" onClick={scrollToBottom}>
          {unseen === 1 ? '1 new message' : `${unseen} new messages`} ↓
        </button>
      )}
    </div>
  );
}

const computeItemKey = (_index: number, row: ListRow) => row.key;
/**
 * A row's height as laid out, fractions included. Virtuoso's own measure rounds to whole pixels, but rows are
 * not whole (rem borders, line heights): the space it keeps above the drawn rows then drifted from their real
 * heights, every drawn row moved by a fraction of a pixel on every scrolled frame, and Chromium painted them
 * all again (BENCHMARKS.md, issue 16).
 */
const exactHeight = (el: HTMLElement) => el.getBoundingClientRect().height;
const followOutput = (bottom: boolean) => (bottom ? 'auto' : false);

function rowContent(_index: number, row: ListRow, { props, sharedNames }: ListContext): ReactNode {
  switch (row.kind) {
    case 'day':
      return <DaySeparator iso={row.iso} />;
    case 'divider':
      return <NewDivider />;
    case 'message': {
      const { message } = row;
      return (
        <MessageItem
          message={message}
          meId={props.meId}
          meUsername={props.meUsername}
          mine={message.author.id === props.meId}
          continued={row.continued}
          sharedName={sharedNames.has(message.author.id)}
          editing={props.editingId === message.id}
          locked={props.locked}
          mayDelete={message.author.id === props.meId || props.canModerate}
          onReply={props.onReply}
          onToggleReaction={props.onToggleReaction}
          onEdit={props.onEdit}
          onSaveEdit={props.onSaveEdit}
          onDelete={props.onDelete}
          controlsTabbable={false}
          {...(props.onJump ? { onJump: props.onJump } : {})}
        />
      );
    }
  }
}

function NewDivider() {
  return (
    // No role="separator" on an <li>: a list may hold only list items (axe `list`, serious).
    <li {...useListRow()} className="new-divider">
      <span>New</span>
      <span className="visually-hidden"> messages below</span>
    </li>
  );
}

/** The row's own `<li>` takes Virtuoso's attributes (through ListRowContext): no wrapper element. */
function Row({ children, item, context, style, ...data }: ItemProps<ListRow> & { readonly context: ListContext }) {
  const tabIndex = item.kind === 'message' ? (item.key === context.activeKey ? 0 : -1) : undefined;
  const index = data['data-index'];
  const itemIndex = data['data-item-index'];
  const knownSize = data['data-known-size'];
  const value = useMemo<ListRowAttributes>(
    () => ({ 'data-index': index, 'data-item-index': itemIndex, 'data-known-size': knownSize, ...(style ? { style } : {}), ...(tabIndex === undefined ? {} : { tabIndex }) }),
    [index, itemIndex, knownSize, style, tabIndex],
  );
  return <ListRowContext.Provider value={value}>{children}</ListRowContext.Provider>;
}

const List = forwardRef<HTMLOListElement, ListProps & { readonly context: ListContext }>(function List({ children, context, ...rest }, ref) {
  return (
    <ol {...rest} ref={ref} className="messages" onKeyDown={context.onListKeyDown} onFocus={context.onListFocus}>
      {children}
    </ol>
  );
});

function Header({ context: { props } }: { readonly context: ListContext }) {
  if (!props.hasOlder) return props.messages.length > 0 ? <p className="history-edge">This is the start of the thread.</p> : null;
  return (
    <p className="history-edge" aria-live="polite">
      {props.loadingOlder ? (
        'Loading older messages…'
      ) : (
        <button type="button" className="link-button" onClick={props.onLoadOlder}>
          Load older messages
        </button>
      )}
    </p>
  );
}

/** Sends on their way and bots' drafts: few, always last, so they sit under the virtualized rows in a list of their own. */
function Footer({ context: { props } }: { readonly context: ListContext }) {
  const { pending, drafts, messages } = props;
  return (
    <>
      {(pending.length > 0 || (drafts?.length ?? 0) > 0) && (
        <ol className="messages message-outgoing" aria-label="Not yet in the thread">
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
      )}
      {messages.length === 0 && pending.length === 0 && <p className="empty">No messages yet. Say hello.</p>}
    </>
  );
}

/**
 * Virtuoso's scroller is a tab stop of its own (tabIndex 0, for scrolling by
 * keyboard); here the active message is the list's one stop, and it scrolls.
 */
const Scroller = forwardRef<HTMLDivElement, ScrollerProps & { readonly context: ListContext }>(function Scroller({ context: _context, ...rest }, ref) {
  return <div {...rest} ref={ref} tabIndex={-1} />;
});

const components = { Item: Row, List, Header, Footer, Scroller };
