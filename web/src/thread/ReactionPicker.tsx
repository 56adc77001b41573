/**
 * "Add a reaction": a small popover of emoji (the viewer's recent ones, then
 * common ones). Arrow keys move between them, Escape or a click elsewhere
 * closes it and gives focus back to the button that opened it.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { loadRecentEmoji, pickerEmoji } from './recentEmoji.ts';

export interface ReactionPickerProps {
  readonly onPick: (emoji: string) => void;
  readonly onOpenChange?: (open: boolean) => void;
}

export function ReactionPicker({ onPick, onOpenChange }: ReactionPickerProps) {
  const [choices, setChoices] = useState<readonly string[] | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const id = useId();
  const open = choices !== null;

  const close = (refocus: boolean) => {
    setChoices(null);
    onOpenChange?.(false);
    if (refocus) trigger.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const outside = (event: PointerEvent) => {
      const target = event.target;
      if (target instanceof Node && !panel.current?.contains(target) && !trigger.current?.contains(target)) {
        setChoices(null);
        onOpenChange?.(false);
      }
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open, onOpenChange]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(panel.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = buttons.findIndex((b) => b === document.activeElement);
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (event.key === 'Escape') {
      event.stopPropagation();
      close(true);
    } else if (step !== undefined && buttons.length > 0) {
      event.preventDefault();
      buttons[(at + step + buttons.length) % buttons.length]?.focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      (event.key === 'Home' ? buttons[0] : buttons.at(-1))?.focus();
    }
  };

  return (
    <span className="reaction-picker">
      <button
        ref={trigger}
        type="button"
        className="message-action"
        aria-label="Add a reaction"
        title="Add a reaction"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => {
          if (open) return close(false);
          setChoices(pickerEmoji(loadRecentEmoji()));
          onOpenChange?.(true);
        }}
      >
        <span aria-hidden="true">☺+</span>
      </button>
      {choices && (
        <div ref={panel} id={id} className="reaction-choices" role="group" aria-label="Choose a reaction" onKeyDown={onKeyDown}>
          {choices.map((emoji) => (
            <button
              key={emoji}
              type="button"
              aria-label={`React with ${emoji}`}
              title={emoji}
              onClick={() => {
                close(true);
                onPick(emoji);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}
