/** One message: who, when, what it answers, the text, and a way to reply. */
import { memo, type MouseEvent } from 'react';
import type { Message } from '../api/operations.ts';
import type { QuotedMessage } from '../api/decode.ts';
import { LinkifiedText } from '../ui/LinkifiedText.tsx';
import { RelativeTime } from '../ui/RelativeTime.tsx';

export interface MessageItemProps {
  readonly message: Message;
  readonly mine: boolean;
  /** Same author as the message just above: the name is not repeated. */
  readonly continued: boolean;
  readonly onReply: (message: Message) => void;
}

export const MessageItem = memo(function MessageItem({ message, mine, continued, onReply }: MessageItemProps) {
  const author = mine ? 'You' : message.author.displayName;
  return (
    <li
      className={`message${mine ? ' mine' : ''}${continued ? ' continued' : ''}`}
      data-message-id={message.id}
      data-position={message.position}
    >
      <div className="message-meta">
        <span className="message-author" title={`@${message.author.username}`}>
          {author}
        </span>
        <RelativeTime className="message-time" iso={message.postedAt} />
      </div>
      {message.replyTo && <ReplyQuote replyTo={message.replyTo} />}
      <p className="message-body">
        <LinkifiedText text={message.body} />
      </p>
      <button type="button" className="message-reply link-button" onClick={() => onReply(message)} aria-label={`Reply to ${author}`}>
        Reply
      </button>
    </li>
  );
});

export function ReplyQuote({ replyTo }: { replyTo: QuotedMessage }) {
  return (
    <a className="reply-quote" href={`#message-${replyTo.id}`} onClick={(e) => jumpTo(e, replyTo.id)}>
      <span className="visually-hidden">In reply to </span>
      <span className="reply-quote-author">{replyTo.author?.displayName ?? 'Someone'}</span>
      <span className="reply-quote-body">{snippet(replyTo.body)}</span>
    </a>
  );
}

export function snippet(body: string, length = 120): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

function jumpTo(event: MouseEvent, messageId: string) {
  event.preventDefault();
  const target = document.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
  if (!target) return;
  target.scrollIntoView({ block: 'center', behavior: 'smooth' });
  target.classList.add('flash');
  setTimeout(() => target.classList.remove('flash'), 1200);
}
