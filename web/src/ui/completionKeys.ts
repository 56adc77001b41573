/**
 * The keys of a completion list under a text box (`@` mentions, `:`
 * shortcodes): arrows move the selection round the list, Enter or Tab picks
 * the selected option, Escape dismisses. Keys typed while an input method is
 * composing are the IME's.
 */
import type { KeyboardEvent } from 'react';

export interface CompletionList<Option> {
  readonly options: readonly Option[];
  /** Index of the selected option. */
  readonly active: number;
  select(index: number): void;
  choose(option: Option): void;
  dismiss(): void;
}

/** Handles the key when it drives the list (and keeps it from the text box); false leaves it to the text box. */
export function completionKey<Option>(event: KeyboardEvent<HTMLTextAreaElement>, list: CompletionList<Option>): boolean {
  const { options, active } = list;
  if (active < 0 || event.nativeEvent.isComposing) return false;
  const chosen = options[active];
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    const step = event.key === 'ArrowDown' ? 1 : -1;
    list.select((active + step + options.length) % options.length);
  } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && chosen !== undefined) {
    list.choose(chosen);
  } else if (event.key === 'Escape') {
    list.dismiss();
  } else {
    return false;
  }
  event.preventDefault();
  return true;
}
