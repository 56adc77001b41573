/** A message's text being edited in place: Enter saves, Shift+Enter breaks the line, Escape cancels. */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { maxBodyLength } from './Composer.tsx';

export interface EditMessageFormProps {
  readonly body: string;
  /** Resolves to null once saved, or to what went wrong (shown, and the text kept). */
  readonly onSave: (body: string) => Promise<string | null>;
  readonly onDone: () => void;
}

export function EditMessageForm({ body, onSave, onDone }: EditMessageFormProps) {
  const [draft, setDraft] = useState(body);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const trimmed = draft.trim();
  const length = [...trimmed.normalize('NFC')].length;
  const tooLong = length > maxBodyLength;

  // Focused with the caret at the end, as if the person had just typed it.
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
  }, [draft]);

  const save = (event?: FormEvent) => {
    event?.preventDefault();
    if (saving || tooLong || !trimmed) return;
    if (trimmed === body.trim()) return onDone();
    setSaving(true);
    void onSave(trimmed).then((failure) => {
      setSaving(false);
      setProblem(failure);
      if (!failure) onDone();
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onDone();
    }
  };

  return (
    <form className="edit-form" onSubmit={save}>
      <label htmlFor={id} className="visually-hidden">
        Edit message
      </label>
      <textarea
        id={id}
        ref={input}
        rows={1}
        value={draft}
        disabled={saving}
        aria-describedby={`${id}-hint`}
        aria-invalid={tooLong || !trimmed || undefined}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="edit-actions">
        <span id={`${id}-hint`} className={`composer-hint${tooLong ? ' error' : ''}`}>
          {tooLong ? `${length} / ${maxBodyLength} characters: too long to save.` : 'Enter to save, Escape to cancel.'}
        </span>
        <button type="button" className="button small quiet" onClick={onDone} disabled={saving}>
          Cancel
        </button>
        <button type="submit" className="button small primary" disabled={saving || tooLong || !trimmed}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
