/**
 * The state of a completion list over a text box (`@` mentions, `:`
 * shortcodes): which token is being completed (followed as the text and the
 * caret move), its options, which one is selected, and the keys that drive
 * it (completionKeys.ts). Escape dismisses that token: it is not offered
 * again until the caret leaves it. After a pick the caret goes after the
 * inserted text once React has put the text in. What a token is, what it
 * offers and what a pick inserts are the caller's.
 */
import { useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { completionKey } from './completionKeys.ts';

/** A token being completed: where it starts in the text, and what was typed of it. */
export interface CompletionToken {
  readonly start: number;
  readonly query: string;
}

export interface TextCompletionRules<Token extends CompletionToken, Option> {
  readonly input: RefObject<HTMLTextAreaElement | null>;
  readonly text: string;
  readonly onText: (text: string) => void;
  /** The token the caret is in, if any. */
  find(value: string, caret: number): Token | null;
  /** What the token offers (may be empty, e.g. while data loads). */
  optionsFor(token: Token): readonly Option[];
  /** The text and caret after picking `option` for `token`, the caret having been at `caret`. */
  complete(text: string, token: Token, caret: number, option: Option): { text: string; caret: number };
  /** A token was found (the emoji data loads on the first one). */
  onToken?(token: Token): void;
  /** An option was picked (recent emoji). */
  onChosen?(option: Option): void;
}

export interface TextCompletion<Option> {
  /** The options offered, empty when nothing is being completed. */
  readonly options: readonly Option[];
  /** Index of the selected one, -1 when closed. */
  readonly active: number;
  /** The text or the caret moved. */
  track(text: string, caret: number | null): void;
  /** Puts the option in place of the token being completed. */
  choose(option: Option): void;
  close(): void;
  /** Handles the key when completion is open; true when it did. */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
}

export function useTextCompletion<Token extends CompletionToken, Option>(rules: TextCompletionRules<Token, Option>): TextCompletion<Option> {
  const { input, text, onText } = rules;
  const [token, setToken] = useState<Token | null>(null);
  const [selected, setSelected] = useState(0);
  const dismissed = useRef<number | null>(null);
  const caretAfter = useRef<number | null>(null);
  const options = token ? rules.optionsFor(token) : [];
  const active = options.length > 0 ? Math.min(selected, options.length - 1) : -1;

  useLayoutEffect(() => {
    const el = input.current;
    if (el && caretAfter.current !== null) {
      el.setSelectionRange(caretAfter.current, caretAfter.current);
      caretAfter.current = null;
    }
  }, [text, input]);

  const track = (value: string, caret: number | null) => {
    const found = caret === null ? null : rules.find(value, caret);
    if (!found) dismissed.current = null;
    const next = found && dismissed.current !== found.start ? found : null;
    if (next?.start !== token?.start || next?.query !== token?.query) setSelected(0);
    setToken(next);
    if (next) rules.onToken?.(next);
  };

  const choose = (option: Option) => {
    const el = input.current;
    if (!token || !el) return;
    const done = rules.complete(text, token, el.selectionStart, option);
    caretAfter.current = done.caret;
    setToken(null);
    rules.onChosen?.(option);
    onText(done.text);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    const open = token;
    if (!open) return false;
    const dismiss = () => {
      dismissed.current = open.start;
      setToken(null);
    };
    return completionKey(event, { options, active, select: setSelected, choose, dismiss });
  };

  return { options, active, track, choose, close: () => setToken(null), onKeyDown };
}
