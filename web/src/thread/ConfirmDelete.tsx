/**
 * Asks before deleting a message, in a modal dialog: there is no undo (the
 * text is erased from the log). A moderator deleting someone else's message
 * may say why. Escape or Cancel keeps the message.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Message } from '../api/operations.ts';
import { snippet } from './MessageItem.tsx';
import { LIMITS } from '../../../src/input/limitValues.ts';

/** The server's cap on a deletion's reason (src/input/limitValues.ts). */
const maxReasonLength = LIMITS.deleteReason.max;

export interface ConfirmDeleteProps {
  readonly message: Message;
  /** Someone else's message: the moderator may give a reason. */
  readonly asModerator: boolean;
  /** Resolves to null once deleted, or to what went wrong (shown, and the dialog stays). */
  readonly onConfirm: (reason: string | null) => Promise<string | null>;
  readonly onClose: () => void;
}

export function ConfirmDelete({ message, asModerator, onConfirm, onClose }: ConfirmDeleteProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  // Modal: focus stays inside, the rest of the page is inert, Escape closes it (the `close` event).
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    void onConfirm(reason.trim() || null).then((failure) => {
      setBusy(false);
      setProblem(failure);
      if (!failure) onClose();
    });
  };

  return (
    <dialog ref={dialog} className="confirm-dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-what`} onClose={onClose}>
      <form method="dialog" onSubmit={confirm}>
        <h2 id={`${id}-title`}>Delete this message?</h2>
        <p id={`${id}-what`}>
          {asModerator ? `${message.author.displayName}’s message` : 'Your message'} “{snippet(message.body, 80)}” will be deleted for everyone and
          its text erased. This cannot be undone.
        </p>
        {asModerator && (
          <>
            <label htmlFor={`${id}-reason`}>Reason (optional)</label>
            <input id={`${id}-reason`} value={reason} maxLength={maxReasonLength} onChange={(e) => setReason(e.target.value)} disabled={busy} />
          </>
        )}
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button quiet" onClick={onClose} disabled={busy} autoFocus>
            Cancel
          </button>
          <button type="submit" className="button danger" disabled={busy}>
            {busy ? 'Deleting…' : 'Delete'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
