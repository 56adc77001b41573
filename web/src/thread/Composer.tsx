/**
 * Writing a message: Enter sends, Shift+Enter breaks the line, Escape drops
 * the reply, ↑ in an empty box edits your last message, `@` offers people to
 * mention and `:` offers emoji by shortcode (arrows move, Enter or Tab
 * picks, Escape closes); the emoji button opens the picker, which inserts at
 * the caret. While text is being written the server hears "typing" now and
 * then; sending, clearing or leaving the box says "stopped". In a locked
 * thread it says so instead of taking text. Files join the message by the
 * paper-clip button, a paste or a drop, and it sends once they are uploaded.
 * What is written and not sent is kept as the thread's draft (across thread
 * switches and reloads) until it is sent or cleared.
 */
import { useEffect, useId, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import type { Message, User } from '../api/operations.ts';
import type { TypingReporter } from '../presence/typingReporter.ts';
import { useMentionCompletion } from '../mentions/useMentionCompletion.ts';
import { MentionOptions } from '../mentions/MentionOptions.tsx';
import { EmojiButton } from '../emoji/EmojiButton.tsx';
import { EmojiOptions } from '../emoji/EmojiOptions.tsx';
import { useEmojiCompletion } from '../emoji/useEmojiCompletion.ts';
import { useEmojiInsert } from '../emoji/useEmojiInsert.ts';
import { snippet } from './MessageItem.tsx';
import { AttachButton, AttachmentTray } from '../attachments/AttachmentTray.tsx';
import type { AttachmentTray as Tray } from '../attachments/useAttachmentTray.ts';
import { useComposerFiles } from '../attachments/useComposerFiles.ts';
import { LIMITS } from '../../../src/input/limitValues.ts';
import { loadDraft, saveDraft } from '../drafts/draftStorage.ts';
import { bodyLength, counterState, counterText } from './lengthCounter.ts';

/** The server's limit (src/input/limitValues.ts), counted as it counts: code points after NFC and trimming. */
export const maxBodyLength = LIMITS.body.max;

export interface ComposerProps {
  readonly replyTo: Message | null;
  readonly onCancelReply: () => void;
  /** `attachmentIds`: the uploaded files to post with it (the text may then be empty). */
  readonly onSend: (body: string, replyTo: Message | null, attachmentIds: readonly string[]) => void;
  /** ↑ in an empty composer: edit the viewer's last message. False when there is none to edit. */
  readonly onEditLast: () => boolean;
  readonly locked: boolean;
  /** Lets the thread give focus back here once an edit is done. */
  readonly inputRef: RefObject<HTMLTextAreaElement | null>;
  readonly typing: TypingReporter;
  /** Who `@` can complete: the thread's authors and the people online. */
  readonly people: readonly User[];
  readonly meId: string;
  /** Files to send with the message: picked, pasted or dropped here. */
  readonly attachments?: Tray;
  /** The thread written in: its draft is kept under it. */
  readonly threadId?: string;
}

export function Composer({ replyTo, onCancelReply, onSend, onEditLast, locked, inputRef: input, typing, people, meId, attachments, threadId }: ComposerProps) {
  const [body, setBody] = useState(() => (threadId ? loadDraft(meId, threadId) : ''));
  useEffect(() => {
    if (threadId) saveDraft(meId, threadId, body);
  }, [meId, threadId, body]);
  const id = useId();
  const changed = (text: string) => {
    setBody(text);
    typing.changed(text);
  };
  const completion = useMentionCompletion({ input, text: body, onText: changed, people, meId });
  const completing = completion.active >= 0;
  const emoji = useEmojiCompletion({ input, text: body, onText: changed });
  const emojiCompleting = emoji.active >= 0 && !completing;
  const insertEmoji = useEmojiInsert(input, body, changed);
  const trimmed = body.trim();
  const length = bodyLength(body);
  const counter = counterState(length, maxBodyLength);
  const tooLong = counter === 'over';
  const files = useComposerFiles(attachments, locked);
  // Every file in the tray uploaded (none: ready), and something to send: text, files or both.
  const fileIds = attachments ? attachments.ready : [];
  const canSend = fileIds !== null && (trimmed !== '' || fileIds.length > 0) && !tooLong && !locked;

  useEffect(() => {
    if (replyTo) input.current?.focus();
  }, [replyTo]);

  // Ready to type on opening a thread, except on touch screens where focus would pop the keyboard over it.
  useEffect(() => {
    if (window.matchMedia('(pointer: fine)').matches) input.current?.focus();
  }, []);

  // Grow with the text up to a few lines, then scroll.
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
  }, [body]);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    onSend(trimmed, replyTo, fileIds);
    attachments?.clear();
    typing.stopped();
    setBody('');
    completion.close();
    emoji.close();
    onCancelReply();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (completion.onKeyDown(event) || emoji.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape' && replyTo) {
      onCancelReply();
    } else if (event.key === 'ArrowUp' && body === '' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      if (onEditLast()) event.preventDefault();
    }
  };

  return (
    <form className={`composer${locked ? ' locked' : ''}${files.dragging ? ' dropping' : ''}`} onSubmit={submit} {...files.handlers}>
      {replyTo && (
        <div className="composer-reply">
          <span>
            Replying to <strong>{replyTo.author.displayName}</strong>: {snippet(replyTo.body, 80)}
          </span>
          <button type="button" className="link-button" onClick={onCancelReply} aria-label="Cancel reply">
            ✕
          </button>
        </div>
      )}
      {attachments && <AttachmentTray tray={attachments} disabled={locked} />}
      <div className="composer-row">
        <label htmlFor={id} className="visually-hidden">
          Message
        </label>
        <textarea
          id={id}
          ref={input}
          rows={1}
          value={body}
          placeholder={locked ? 'This thread is locked' : 'Write a message…'}
          disabled={locked}
          aria-describedby={`${id}-hint`}
          aria-invalid={tooLong || undefined}
          aria-autocomplete="list"
          aria-controls={completing ? `${id}-people` : emojiCompleting ? `${id}-emoji` : undefined}
          aria-activedescendant={completing ? `${id}-people-${completion.active}` : emojiCompleting ? `${id}-emoji-${emoji.active}` : undefined}
          onChange={(e) => {
            changed(e.target.value);
            completion.track(e.target.value, e.target.selectionStart);
            emoji.track(e.target.value, e.target.selectionStart);
          }}
          onSelect={(e) => {
            completion.track(e.currentTarget.value, e.currentTarget.selectionStart);
            emoji.track(e.currentTarget.value, e.currentTarget.selectionStart);
          }}
          onBlur={() => {
            typing.stopped();
            completion.close();
            emoji.close();
          }}
          onKeyDown={onKeyDown}
        />
        {completing && <MentionOptions id={`${id}-people`} people={completion.options} active={completion.active} onChoose={completion.choose} />}
        {emojiCompleting && <EmojiOptions id={`${id}-emoji`} options={emoji.options} active={emoji.active} onChoose={emoji.choose} />}
        <EmojiButton onPick={insertEmoji} returnFocusTo={input} disabled={locked} />
        {attachments && <AttachButton onFiles={attachments.add} disabled={locked} />}
        <button type="submit" className="button primary" disabled={!canSend}>
          Send
        </button>
      </div>
      {/* One live region whose text changes, so locking and unlocking are announced. */}
      <p id={`${id}-hint`} className={`composer-hint${tooLong ? ' error' : counter === 'near' ? ' near-limit' : ''}${locked ? ' locked-note' : ''}`} aria-live="polite">
        {locked
          ? 'A moderator locked this thread: no new messages, reactions or edits until it is unlocked.'
          : counter !== 'quiet'
            ? counterText(length, maxBodyLength, counter)
            : 'Enter to send, Shift+Enter for a new line, ↑ to edit your last message.'}
      </p>
    </form>
  );
}
