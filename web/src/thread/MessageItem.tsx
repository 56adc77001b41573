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
import { ReactionPicker } from './ReactionPicker.tsx';
import { Reactions } from './Reactions.tsx';
import { MessageAttachments } from '../attachments/MessageAttachments.tsx';
import { BotBadge } from '../bots/BotBadge.tsx';
import { useListRow } from './listRow.ts';
import { useControlsTabbable } from './useControlsTabbable.ts';

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
  /** Whether its controls are tab stops (default true): false for all but the active message of the list, which is one tab stop. */
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
  const row = useRef<HTMLLIElement>(null);
  useControlsTabbable(row, props.controlsTabbable ?? true);
  return (
    <li
      {...useListRow()}
      ref={row}
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
      {message.replyTo && <ReplyQuote replyTo={message.replyTo} onJump={props.onJump} />}
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
        <Reactions groups={message.reactions} meId={meId} disabled={locked} onToggle={(emoji) => props.onToggleReaction(message.id, emoji)} />
      )}
      {!editing && !deleted && (
        <div className="message-actions" role="group" aria-label={`Actions for the message by ${author}`}>
          {writable && <ReactionPicker onPick={(emoji) => props.onToggleReaction(message.id, emoji)} onOpenChange={setPicking} />}
          {writable && (
            <button type="button" className="message-action message-reply" onClick={() => props.onReply(message)} aria-label={`Reply to ${author}`}>
              Reply
            </button>
          )}
          {writable && mine && (
            <button type="button" className="message-action" onClick={() => props.onEdit(message.id)} aria-label="Edit your message">
              Edit
            </button>
          )}
          {mayDelete && (
            <button type="button" className="message-action danger" onClick={() => props.onDelete(message)} aria-label={mine ? 'Delete your message' : `Delete the message by ${author}`}>
              Delete
            </button>
          )}
        </div>
      )}
    </li>
  );
});

export function ReplyQuote({ replyTo, onJump }: { replyTo: QuotedMessage; onJump?: ((messageId: string) => void) | undefined }) {
  return (
    <a className="reply-quote" href={`#message-${replyTo.id}`} onClick={(e) => jumpTo(e, replyTo.id, onJump)}>
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
