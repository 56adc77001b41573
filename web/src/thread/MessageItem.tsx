/**
 * One message: who, when, what it answers, the text (or the form editing it,
 * or the tombstone it leaves once deleted), its reactions, and what the
 * viewer may do with it.
 */
import { memo, useRef, useState, type MouseEvent } from 'react';
import type { Message } from '../api/operations.ts';
import type { QuotedMessage } from '../api/decode.ts';
import { MessageBody } from '../richtext/MessageBody.tsx';
import { formatOf } from '../richtext/messageFormat.ts';
import { Avatar } from '../identity/Avatar.tsx';
import { GroupTime } from '../identity/GroupTime.tsx';
import { EditMessageForm } from './EditMessageForm.tsx';
import { MessageActions } from './MessageActions.tsx';
import { Reactions } from './Reactions.tsx';
import { MessageAttachments } from '../attachments/MessageAttachments.tsx';
import { BotBadge } from '../bots/BotBadge.tsx';
import { useOutOfTabOrder } from '../a11y/useOutOfTabOrder.ts';
import { useListRow } from './listRow.ts';

export interface MessageItemProps {
  readonly message: Message;
  readonly meId: string;
  readonly meUsername: string;
  readonly mine: boolean;
  /** Same author as the message just above: the name is not repeated. */
  readonly continued: boolean;
  /** Someone else in view has the same display name: `@username` goes beside it. */
  readonly sharedName?: boolean;
  readonly editing: boolean;
  /** The thread is locked: no replies, reactions or edits. */
  readonly locked: boolean;
  /** The viewer may delete it: their own, or anyone's for a moderator. */
  readonly mayDelete: boolean;
  readonly onReply: (message: Message) => void;
  readonly onToggleReaction: (messageId: string, emoji: string) => void;
  readonly onEdit: (messageId: string | null) => void;
  readonly onSaveEdit: (messageId: string, body: string) => Promise<string | null>;
  readonly onDelete: (message: Message) => void;
  /** Opens the thread at a message (a quote's original, even one not loaded yet). */
  readonly onJump?: (messageId: string) => void;
  /**
   * False when the list gives all its messages one tab stop and moves between
   * them with the arrow keys: every control in here then leaves the tab order
   * (tabIndex -1) and is reached from the focused message. Default true.
   */
  readonly controlsTabbable?: boolean;
}

export const MessageItem = memo(function MessageItem(props: MessageItemProps) {
  const { message, meId, mine, continued, editing, locked, mayDelete } = props;
  const [picking, setPicking] = useState(false);
  const author = mine ? 'You' : message.author.displayName;
  const deleted = message.deletedAt !== null;
  const writable = !deleted && !locked;
  const state = deleted ? ' deleted' : editing ? ' editing' : '';
  const mentionsMe = !deleted && (message.mentions ?? []).includes(props.meUsername.toLowerCase());
  const tabbable = props.controlsTabbable ?? true;
  const controlTabIndex = tabbable ? undefined : -1;
  const item = useRef<HTMLLIElement>(null);
  const row = useListRow();
  // While editing, the form is what the reader is working in: its fields stay in the tab order. The
  // active message (the list's one stop) keeps its content's links and files there too, right after it;
  // its own controls stay out (Enter opens its actions), so the composer is as few presses away.
  useOutOfTabOrder(item, !tabbable && !editing && row.tabIndex !== 0);
  return (
    <li
      {...row}
      ref={item}
      className={`message${mine ? ' mine' : ''}${continued ? ' continued' : ''}${state}${picking ? ' picking' : ''}${mentionsMe ? ' mentions-me' : ''}`}
      data-message-id={message.id}
      data-position={message.position}
    >
      {!continued && <Avatar user={message.author} />}
      <div className="message-meta">
        <span className="message-author" title={`@${message.author.username}`}>
          {author}
        </span>
        {props.sharedName && !continued && !mine && <span className="message-handle">@{message.author.username}</span>}
        <BotBadge user={message.author} />
        <GroupTime iso={message.postedAt} />
      </div>
      {message.replyTo && <ReplyQuote replyTo={message.replyTo} onJump={props.onJump} tabIndex={controlTabIndex} />}
      {deleted ? (
        <p className="message-body tombstone">Message deleted</p>
      ) : editing ? (
        <EditMessageForm body={message.body} onSave={(body) => props.onSaveEdit(message.id, body)} onDone={() => props.onEdit(null)} />
      ) : (
        <MessageBody
          body={message.body}
          format={formatOf(message)}
          mentions={message.mentions ?? []}
          meUsername={props.meUsername}
          after={
            message.editedAt && (
              <>
                {' '}
                <span className="message-edited" title={`Edited ${new Date(message.editedAt).toLocaleString()}`}>
                  (edited)
                </span>
              </>
            )
          }
        />
      )}
      {!deleted && message.attachments && <MessageAttachments attachments={message.attachments} />}
      {!deleted && (
        <Reactions
          groups={message.reactions}
          meId={meId}
          disabled={locked}
          tabbable={tabbable}
          onToggle={(emoji) => props.onToggleReaction(message.id, emoji)}
        />
      )}
      {!editing && !deleted && (
        <MessageActions
          author={author}
          postedAt={message.postedAt}
          messageId={message.id}
          writable={writable}
          mine={mine}
          mayDelete={mayDelete}
          tabbable={tabbable}
          onReply={() => props.onReply(message)}
          onReact={(emoji) => props.onToggleReaction(message.id, emoji)}
          onEdit={() => props.onEdit(message.id)}
          onDelete={() => props.onDelete(message)}
          onOpenChange={setPicking}
        />
      )}
    </li>
  );
});

export interface ReplyQuoteProps {
  readonly replyTo: QuotedMessage;
  readonly onJump?: ((messageId: string) => void) | undefined;
  readonly tabIndex?: number | undefined;
}

export function ReplyQuote({ replyTo, onJump, tabIndex }: ReplyQuoteProps) {
  return (
    <a className="reply-quote" href={`#message-${replyTo.id}`} tabIndex={tabIndex} onClick={(e) => jumpTo(e, replyTo.id, onJump)}>
      <span className="visually-hidden">In reply to </span>
      <span className="reply-quote-author">{replyTo.author?.displayName ?? 'Someone'}</span>
      {replyTo.deletedAt !== null ? (
        <span className="reply-quote-body tombstone">message deleted</span>
      ) : (
        <span className="reply-quote-body">{snippet(replyTo.body)}</span>
      )}
    </a>
  );
}

export function snippet(body: string, length = 120): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

function jumpTo(event: MouseEvent, messageId: string, onJump: ((messageId: string) => void) | undefined) {
  event.preventDefault();
  if (onJump) return onJump(messageId);
  const target = document.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
  if (!target) return;
  target.scrollIntoView({ block: 'center', behavior: 'smooth' });
  target.classList.add('flash');
  setTimeout(() => target.classList.remove('flash'), 1200);
}
