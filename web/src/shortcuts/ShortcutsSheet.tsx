/**
 * The `?` sheet: every keyboard shortcut, in a modal dialog. showModal()
 * makes the rest of the page inert (focus stays inside) and Escape closes
 * it; focus then returns to where it was.
 */
import { useEffect, useRef } from 'react';
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
    <dialog ref={dialog} className="confirm-dialog shortcuts-sheet" aria-labelledby="shortcuts-title" onClose={onClose}>
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
