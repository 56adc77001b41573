/**
 * Writing a message: Enter sends, Shift+Enter breaks the line, Escape drops
 * the reply, ↑ in an empty box edits your last message. In a locked thread it
 * says so instead of taking text.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import type { Message } from '../api/operations.ts';
import { snippet } from './MessageItem.tsx';
import { LIMITS } from '../../../src/input/limitValues.ts';

/** The server's limit (src/input/limitValues.ts), counted as it counts: code points after NFC and trimming. */
export const maxBodyLength = LIMITS.body.max;

export interface ComposerProps {
  readonly replyTo: Message | null;
  readonly onCancelReply: () => void;
  readonly onSend: (body: string, replyTo: Message | null) => void;
  /** ↑ in an empty composer: edit the viewer's last message. False when there is none to edit. */
  readonly onEditLast: () => boolean;
  readonly locked: boolean;
  /** Lets the thread give focus back here once an edit is done. */
  readonly inputRef: RefObject<HTMLTextAreaElement | null>;
}

export function Composer({ replyTo, onCancelReply, onSend, onEditLast, locked, inputRef: input }: ComposerProps) {
  const [body, setBody] = useState('');
  const id = useId();
  const trimmed = body.trim();
  const length = [...trimmed.normalize('NFC')].length;
  const tooLong = length > maxBodyLength;

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
    if (!trimmed || tooLong || locked) return;
    onSend(trimmed, replyTo);
    setBody('');
    onCancelReply();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
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
    <form className={`composer${locked ? ' locked' : ''}`} onSubmit={submit}>
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
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="button primary" disabled={!trimmed || tooLong || locked}>
          Send
        </button>
      </div>
      {/* One live region whose text changes, so locking and unlocking are announced. */}
      <p id={`${id}-hint`} className={`composer-hint${tooLong ? ' error' : ''}${locked ? ' locked-note' : ''}`} aria-live="polite">
        {locked
          ? 'A moderator locked this thread: no new messages, reactions or edits until it is unlocked.'
          : tooLong
            ? `${length} / ${maxBodyLength} characters: too long to send.`
            : 'Enter to send, Shift+Enter for a new line, ↑ to edit your last message.'}
      </p>
    </form>
  );
}
