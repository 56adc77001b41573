/**
 * What the viewer may do with one message, behind a single "⋯" button: a
 * menu (arrow keys, Home/End, Escape closes and gives focus back to the
 * button) with Reply, React, Edit, Delete and Copy link as allowed, headed by
 * the message's full date and time. One button instead of a toolbar keeps
 * each message to one tab stop's worth of controls and, on a phone, one
 * 44x44 px target that never covers the text; the time in the menu is how a
 * grouped message's time is reached on a touch screen (issue 16, item 5).
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { fullDateTime } from '../identity/dayLabel.ts';
import { loadRecentEmoji, pickerEmoji } from './recentEmoji.ts';
import { messagePath, parseMessageRoute } from '../search/messageRoute.ts';
import { parseRoute } from '../ui/router.ts';

export interface MessageActionsProps {
  /** "You" or the author's display name, for the labels. */
  readonly author: string;
  readonly postedAt: string;
  /** Replies, reactions and edits are possible (not deleted, thread not locked). */
  readonly writable: boolean;
  readonly mine: boolean;
  readonly mayDelete: boolean;
  /** False when the list owns the tab order (one tab stop for all messages). */
  readonly tabbable: boolean;
  readonly messageId: string;
  readonly onReply: () => void;
  readonly onReact: (emoji: string) => void;
  readonly onEdit: () => void;
  readonly onDelete: () => void;
  readonly onOpenChange?: (open: boolean) => void;
}

type Panel = 'menu' | 'react' | null;

export function MessageActions(props: MessageActionsProps) {
  const { author, writable, mine, mayDelete, onOpenChange } = props;
  const [panel, setPanel] = useState<Panel>(null);
  const [note, setNote] = useState<string | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const popover = useRef<HTMLDivElement>(null);
  const id = useId();

  const show = (next: Panel) => {
    setPanel(next);
    onOpenChange?.(next !== null);
  };
  const close = (refocus: boolean) => {
    show(null);
    setNote(null);
    if (refocus) trigger.current?.focus();
  };

  // Opens downwards unless that would run past the bottom of the scrolling log (the last messages): then upwards.
  useLayoutEffect(() => {
    const el = popover.current;
    const scroller = el?.closest('.message-scroller');
    if (!el || !scroller) return;
    el.classList.remove('above');
    if (el.getBoundingClientRect().bottom > scroller.getBoundingClientRect().bottom) el.classList.add('above');
  }, [panel]);

  useEffect(() => {
    if (!panel) return;
    popover.current?.querySelector<HTMLButtonElement>('[role="menuitem"], button')?.focus({ preventScroll: true });
    const outside = (event: PointerEvent) => {
      const target = event.target;
      if (target instanceof Node && !popover.current?.contains(target) && !trigger.current?.contains(target)) {
        setPanel(null);
        onOpenChange?.(false);
      }
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [panel, onOpenChange]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(popover.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = items.findIndex((b) => b === document.activeElement);
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    if (event.key === 'Escape') {
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    } else if (step !== undefined && items.length > 0) {
      event.preventDefault();
      items[(at + step + items.length) % items.length]?.focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      (event.key === 'Home' ? items[0] : items.at(-1))?.focus();
    }
  };

  const run = (action: () => void) => () => {
    close(true);
    action();
  };

  const copyLink = () => {
    const url = new URL(messageLink(props.messageId), window.location.href).href;
    // The clipboard needs a secure context and permission; without them the link is shown to copy by hand.
    if (!navigator.clipboard) return setNote(url);
    navigator.clipboard.writeText(url).then(
      () => close(true),
      () => setNote(url),
    );
  };

  return (
    <div className="message-actions">
      <button
        ref={trigger}
        type="button"
        className="message-actions-button"
        aria-label="Message actions"
        title="Message actions"
        aria-haspopup="menu"
        aria-expanded={panel !== null}
        aria-controls={panel ? id : undefined}
        tabIndex={props.tabbable ? undefined : -1}
        onClick={() => (panel ? close(false) : show('menu'))}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {panel && (
        <div ref={popover} id={id} className="message-menu" onKeyDown={onKeyDown}>
          <p className="message-menu-time">
            <time dateTime={props.postedAt}>{fullDateTime(new Date(props.postedAt))}</time>
          </p>
          {note && <p className="message-menu-note">{note}</p>}
          {panel === 'menu' ? (
            <div role="menu" aria-label={`Actions for the message by ${author}`}>
              {writable && (
                <button type="button" role="menuitem" tabIndex={-1} aria-label={`Reply to ${author}`} onClick={run(props.onReply)}>
                  Reply
                </button>
              )}
              {writable && (
                <button type="button" role="menuitem" tabIndex={-1} onClick={() => show('react')}>
                  Add a reaction
                </button>
              )}
              {writable && mine && (
                <button type="button" role="menuitem" tabIndex={-1} aria-label="Edit your message" onClick={run(props.onEdit)}>
                  Edit
                </button>
              )}
              <button type="button" role="menuitem" tabIndex={-1} onClick={copyLink}>
                Copy link
              </button>
              {mayDelete && (
                <button
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className="danger"
                  aria-label={mine ? 'Delete your message' : `Delete the message by ${author}`}
                  onClick={run(props.onDelete)}
                >
                  Delete
                </button>
              )}
            </div>
          ) : (
            <div className="reaction-choices" role="group" aria-label="Choose a reaction">
              {pickerEmoji(loadRecentEmoji()).map((emoji) => (
                <button key={emoji} type="button" aria-label={`React with ${emoji}`} title={emoji} onClick={run(() => props.onReact(emoji))}>
                  {emoji}
                </button>
              ))}
            </div>
          )}
        </div>
      )}
    </div>
  );
}

/** The open thread's link to a message (the message knows no thread id; the page does). */
function messageLink(messageId: string): string {
  const path = window.location.pathname;
  const route = parseRoute(path);
  const threadId = route.name === 'thread' ? route.threadId : parseMessageRoute(path)?.threadId;
  return threadId ? messagePath(threadId, messageId) : `#message-${messageId}`;
}
