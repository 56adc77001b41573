/**
 * A message's text as its format says: MARKDOWN through MarkdownText (as
 * typed, marked `md-pending`, in the moment before that chunk is in), PLAIN
 * (and any format this app does not know yet) exactly as typed, with its
 * mentions and links. A message of only 1–3 emoji shows them large, whatever
 * its format. `after` goes at the end of the text (the "(edited)" note).
 */
import type { ReactNode } from 'react';
import { MessageText } from '../mentions/MessageText.tsx';
import { emojiOnlyCount } from './emojiOnly.ts';
import { loadMarkdownRenderer, useMarkdownRenderer } from './markdownRenderer.ts';
import type { MessageFormat } from './messageFormat.ts';

export interface MessageBodyProps {
  readonly body: string;
  /** `Message.format`: 'MARKDOWN' or 'PLAIN'. */
  readonly format: MessageFormat;
  readonly mentions: readonly string[];
  readonly meUsername: string;
  readonly after?: ReactNode;
}

// Fetched as the app starts, in parallel with its first queries.
void loadMarkdownRenderer();

export function MessageBody({ body, format, mentions, meUsername, after }: MessageBodyProps) {
  const MarkdownText = useMarkdownRenderer();
  const emoji = emojiOnlyCount(body);
  if (emoji > 0) {
    return (
      <p className="message-body big-emoji" data-emoji-count={emoji}>
        {body.trim()}
        {after}
      </p>
    );
  }
  if (format === 'MARKDOWN' && MarkdownText) {
    return (
      <div className="message-body markdown">
        <MarkdownText body={body} mentions={mentions} meUsername={meUsername} />
        {after && <p className="md-after">{after}</p>}
      </div>
    );
  }
  return (
    <p className={format === 'MARKDOWN' ? 'message-body md-pending' : 'message-body'}>
      <MessageText body={body} mentions={mentions} meUsername={meUsername} />
      {after}
    </p>
  );
}
