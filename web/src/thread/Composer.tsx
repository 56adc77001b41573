/**
 * Writing a message: Enter sends, Shift+Enter breaks the line, Escape drops
 * the reply, ↑ in an empty box edits your last message, `@` offers people to
 * mention (arrows move, Enter or Tab picks, Escape closes). While text is
 * being written the server hears "typing" now and then; sending, clearing
 * or leaving the box says "stopped". In a locked thread it says so instead
 * of taking text.
 */
import { useEffect, useId, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import type { Message, User } from '../api/operations.ts';
import type { TypingReporter } from '../presence/typingReporter.ts';
import { useMentionCompletion } from '../mentions/useMentionCompletion.ts';
import { MentionOptions } from '../mentions/MentionOptions.tsx';
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
  readonly typing: TypingReporter;
  /** Who `@` can complete: the thread's authors and the people online. */
  readonly people: readonly User[];
  readonly meId: string;
}

export function Composer({ replyTo, onCancelReply, onSend, onEditLast, locked, inputRef: input, typing, people, meId }: ComposerProps) {
  const [body, setBody] = useState('');
  const id = useId();
  const changed = (text: string) => {
    setBody(text);
    typing.changed(text);
  };
  const completion = useMentionCompletion({ input, text: body, onText: changed, people, meId });
  const completing = completion.active >= 0;
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
    typing.stopped();
    setBody('');
    completion.close();
    onCancelReply();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (completion.onKeyDown(event)) return;
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
          aria-autocomplete="list"
          aria-controls={completing ? `${id}-people` : undefined}
          aria-activedescendant={completing ? `${id}-people-${completion.active}` : undefined}
          onChange={(e) => {
            changed(e.target.value);
            completion.track(e.target.value, e.target.selectionStart);
          }}
          onSelect={(e) => completion.track(e.currentTarget.value, e.currentTarget.selectionStart)}
          onBlur={() => {
            typing.stopped();
            completion.close();
          }}
          onKeyDown={onKeyDown}
        />
        {completing && <MentionOptions id={`${id}-people`} people={completion.candidates} active={completion.active} onChoose={completion.choose} />}
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
