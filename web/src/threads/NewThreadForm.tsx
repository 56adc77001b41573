/** Starting a thread; the key is kept across retries of the same title so a resend creates one thread. */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useThrds } from '../api/ThrdsContext.tsx';
import { CreateThreadMutation, type ThreadSummary } from '../api/operations.ts';
import { errorMessage } from '../api/errors.ts';
import { decodeThread } from '../api/decode.ts';
import { newIdempotencyKey } from '../api/idempotencyKey.ts';
import { LIMITS } from '../../../src/input/limitValues.ts';
import { takeSignInFocus } from '../auth/signInFocus.ts';

/** The server's limit (src/input/limitValues.ts), counted as it counts: code points after NFC and trimming. */
export const maxTitleLength = LIMITS.title.max;

export function NewThreadForm({ onCreated }: { onCreated: (thread: ThreadSummary) => void }) {
  const { client } = useThrds();
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const attempt = useRef<{ title: string; key: string } | null>(null);
  const id = useId();
  const trimmed = title.trim();
  const input = useRef<HTMLInputElement>(null);

  // Just signed in: starting a thread is the first thing to do here, so typing starts in this box.
  useEffect(() => {
    if (takeSignInFocus()) input.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!trimmed || [...trimmed.normalize('NFC')].length > maxTitleLength || busy) return;
    if (attempt.current?.title !== trimmed) attempt.current = { title: trimmed, key: newIdempotencyKey() };
    setBusy(true);
    setError(null);
    const result = await client.mutation(CreateThreadMutation, { input: { title: trimmed, idempotencyKey: attempt.current.key } }).toPromise();
    setBusy(false);
    const thread = decodeThread(result.data?.createThread?.thread);
    if (!thread) {
      setError(result.error ? errorMessage(result.error) : 'Could not create the thread.');
      return;
    }
    attempt.current = null;
    setTitle('');
    onCreated(thread);
  };

  return (
    <form className="new-thread" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        New thread title
      </label>
      <input
        ref={input}
        id={id}
        value={title}
        maxLength={maxTitleLength}
        placeholder="Start a new thread…"
        onChange={(e) => setTitle(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <button type="submit" className="button primary" disabled={!trimmed || busy}>
        {busy ? 'Creating…' : 'Create'}
      </button>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
