/** Puts an emoji at the caret of a text box (replacing any selection) and leaves the caret after it. */
import { useLayoutEffect, useRef, type RefObject } from 'react';
import { insertAt } from './emojiCompletion.ts';

export function useEmojiInsert(input: RefObject<HTMLTextAreaElement | null>, text: string, onText: (text: string) => void): (emoji: string) => void {
  const caretAfter = useRef<number | null>(null);

  // Once React has put the new text in, the caret goes after the emoji and the box has the focus back.
  useLayoutEffect(() => {
    const el = input.current;
    if (el && caretAfter.current !== null) {
      el.focus();
      el.setSelectionRange(caretAfter.current, caretAfter.current);
      caretAfter.current = null;
    }
  }, [text, input]);

  return (emoji: string) => {
    const el = input.current;
    const start = el?.selectionStart ?? text.length;
    const done = insertAt(text, start, el?.selectionEnd ?? start, emoji);
    caretAfter.current = done.caret;
    onText(done.text);
  };
}
