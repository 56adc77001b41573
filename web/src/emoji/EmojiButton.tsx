/**
 * The composer's "insert emoji" button and the picker it opens. The picker
 * and the emoji data are separate chunks of the build, fetched on the first
 * open (or the first `:` completion), so the app starts without them.
 */
import { lazy, Suspense, useCallback, useId, useRef, useState, type RefObject } from 'react';

const EmojiPicker = lazy(() => import('./EmojiPicker.tsx'));

export interface EmojiButtonProps {
  readonly onPick: (emoji: string) => void;
  /** Where the focus goes back on Escape (the text box). */
  readonly returnFocusTo: RefObject<HTMLElement | null>;
  readonly disabled: boolean;
}

export function EmojiButton({ onPick, returnFocusTo, disabled }: EmojiButtonProps) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const id = useId();

  const close = useCallback(
    (refocus: boolean) => {
      setOpen(false);
      if (refocus) returnFocusTo.current?.focus();
    },
    [returnFocusTo],
  );

  return (
    <span className="emoji-button">
      <button
        ref={trigger}
        type="button"
        className="button composer-emoji"
        aria-label="Insert emoji"
        title="Insert emoji"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        disabled={disabled}
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">☺</span>
      </button>
      {open && (
        <div id={id} className="emoji-popover">
          <Suspense fallback={<p className="emoji-picker emoji-picker-note">Loading emoji…</p>}>
            <EmojiPicker
              trigger={trigger}
              onClose={close}
              onPick={(emoji) => {
                setOpen(false);
                onPick(emoji);
              }}
            />
          </Suspense>
        </div>
      )}
    </span>
  );
}
