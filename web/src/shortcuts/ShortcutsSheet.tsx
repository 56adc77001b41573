/**
 * The `?` sheet: every keyboard shortcut, in a modal dialog. showModal()
 * makes the rest of the page inert (focus stays inside) and Escape closes
 * it; focus then returns to where it was. Closing is the parent's to do
 * (unmounting this), so Escape is taken at `cancel`: the `close` event also
 * fires when the effect's cleanup closes the dialog, and must not reach it.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { shortcutList } from './keyMap.ts';

export function ShortcutsSheet({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const el = dialog.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    el?.showModal();
    return () => {
      el?.close();
      before?.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog shortcuts-sheet"
      aria-labelledby="shortcuts-title"
      onKeyDown={keepFocusInside}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl className="shortcut-list">
        {shortcutList.map(({ keys, does }) => (
          <div key={does} className="shortcut">
            <dt>
              {keys.map((key, i) => (
                <span key={key}>
                  {i > 0 && ' or '}
                  <kbd>{key}</kbd>
                </span>
              ))}
            </dt>
            <dd>{does}</dd>
          </div>
        ))}
      </dl>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}

/** A modal dialog lets Tab leave for the browser's own controls; the sheet keeps it going round its own. */
function keepFocusInside(event: KeyboardEvent<HTMLDialogElement>) {
  if (event.key !== 'Tab') return;
  const stops = [...event.currentTarget.querySelectorAll<HTMLElement>('button, a[href], input, [tabindex="0"]')];
  const first = stops[0];
  const last = stops.at(-1);
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
