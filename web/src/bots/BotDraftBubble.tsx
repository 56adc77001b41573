/**
 * A reply a bot is writing, under the thread's messages: laid out as its
 * message will be (name, the message it answers, the text as markdown), so
 * the message takes its place without the log moving, with "Wren is
 * writing…" where the time will be. Screen readers are not read each piece
 * (aria-busy); they hear the finished message.
 */
import { memo } from 'react';
import type { Message } from '../api/decode.ts';
import { Avatar } from '../identity/Avatar.tsx';
import { MessageBody } from '../richtext/MessageBody.tsx';
import { ReplyQuote } from '../thread/MessageItem.tsx';
import { BotBadge } from './BotBadge.tsx';
import type { BotDraft } from './botDrafts.ts';

export interface BotDraftBubbleProps {
  readonly draft: BotDraft;
  /** The message it answers, when loaded (for the quote its message will show). */
  readonly answering: Message | undefined;
  readonly meUsername: string;
  readonly onJump?: ((messageId: string) => void) | undefined;
}

export const BotDraftBubble = memo(function BotDraftBubble({ draft, answering, meUsername, onJump }: BotDraftBubbleProps) {
  const name = draft.bot.displayName;
  return (
    <li className={`message bot-draft${draft.ended ? ' ended' : ''}`} data-bot-id={draft.bot.id} data-reply-to={draft.replyToId} aria-busy={!draft.ended} aria-label={`${name} is writing a reply`}>
      <Avatar user={draft.bot} />
      <div className="message-meta">
        <span className="message-author" title={`@${draft.bot.username}`}>
          {name}
        </span>
        <BotBadge user={draft.bot} />
        {!draft.ended && <span className="bot-writing">{name} is writing…</span>}
      </div>
      {answering && (
        <ReplyQuote
          replyTo={{ id: answering.id, body: answering.body, deletedAt: answering.deletedAt, author: answering.author }}
          onJump={onJump}
        />
      )}
      <MessageBody body={draft.text} format="MARKDOWN" mentions={[]} meUsername={meUsername} />
    </li>
  );
});
