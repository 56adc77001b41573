/** Writing a message: Enter sends, Shift+Enter breaks the line, Escape drops the reply. */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Message } from '../api/operations.ts';
import { snippet } from './MessageItem.tsx';
import { LIMITS } from '../../../src/input/limitValues.ts';

/** The server's limit (src/input/limitValues.ts), counted as it counts: code points after NFC and trimming. */
export const maxBodyLength = LIMITS.body.max;

export interface ComposerProps {
  readonly replyTo: Message | null;
  readonly onCancelReply: () => void;
  readonly onSend: (body: string, replyTo: Message | null) => void;
}

export function Composer({ replyTo, onCancelReply, onSend }: ComposerProps) {
  const [body, setBody] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
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
    if (!trimmed || tooLong) return;
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
    }
  };

  return (
    <form className="composer" onSubmit={submit}>
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
          placeholder="Write a message…"
          aria-describedby={`${id}-hint`}
          aria-invalid={tooLong || undefined}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="button primary" disabled={!trimmed || tooLong}>
          Send
        </button>
      </div>
      <p id={`${id}-hint`} className={`composer-hint${tooLong ? ' error' : ''}`}>
        {tooLong ? `${length} / ${maxBodyLength} characters: too long to send.` : 'Enter to send, Shift+Enter for a new line.'}
      </p>
    </form>
  );
}
