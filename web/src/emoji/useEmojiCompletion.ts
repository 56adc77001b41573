/**
 * The state of `:` completion over a text box, driven like `@` completion
 * (mentions/useMentionCompletion.ts): arrows move, Enter or Tab picks,
 * Escape closes (that `:` is not offered again until the caret leaves its
 * word). The emoji data loads the first time a shortcode is typed; the
 * options appear once it has. Picks go to the recent emoji and use the
 * remembered skin tone.
 */
import { useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { completionKey } from '../ui/completionKeys.ts';
import { loadRecentEmoji, rememberEmoji, saveRecentEmoji } from '../thread/recentEmoji.ts';
import { activeShortcode, completeShortcode, type ActiveShortcode } from './emojiCompletion.ts';
import { searchEmoji, withTone, type EmojiEntry } from './emojiIndex.ts';
import { loadEmojiIndex } from './loadEmojiIndex.ts';
import { loadSkinTone } from './skinTone.ts';

export interface EmojiOption {
  readonly emoji: string;
  /** The shortcode shown beside it (one that starts with what was typed, or its first, or its name when it has none). */
  readonly name: string;
}

export interface EmojiCompletion {
  /** The emoji offered, empty when nothing is being completed. */
  readonly options: readonly EmojiOption[];
  /** Index of the selected one, -1 when closed. */
  readonly active: number;
  track(text: string, caret: number | null): void;
  choose(option: EmojiOption): void;
  close(): void;
  /** Handles the key when completion is open; true when it did. */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
}

export interface EmojiCompletionOptions {
  readonly input: RefObject<HTMLTextAreaElement | null>;
  readonly text: string;
  readonly onText: (text: string) => void;
}

const maxOptions = 8;

export function useEmojiCompletion({ input, text, onText }: EmojiCompletionOptions): EmojiCompletion {
  const [shortcode, setShortcode] = useState<ActiveShortcode | null>(null);
  const [index, setIndex] = useState<readonly EmojiEntry[] | null>(null);
  const [selected, setSelected] = useState(0);
  const dismissed = useRef<number | null>(null);
  const caretAfter = useRef<number | null>(null);
  const options = shortcode && index ? optionsFor(index, shortcode.query) : [];
  const active = options.length > 0 ? Math.min(selected, options.length - 1) : -1;

  useLayoutEffect(() => {
    const el = input.current;
    if (el && caretAfter.current !== null) {
      el.setSelectionRange(caretAfter.current, caretAfter.current);
      caretAfter.current = null;
    }
  }, [text, input]);

  const track = (value: string, caret: number | null) => {
    const found = caret === null ? null : activeShortcode(value, caret);
    if (!found) dismissed.current = null;
    const next = found && dismissed.current !== found.start ? found : null;
    if (next?.start !== shortcode?.start || next?.query !== shortcode?.query) setSelected(0);
    setShortcode(next);
    if (next && !index) {
      loadEmojiIndex().then(setIndex, (error: unknown) => console.warn('Thrds: cannot load the emoji data', error));
    }
  };

  const choose = (option: EmojiOption) => {
    const el = input.current;
    if (!shortcode || !el) return;
    const done = completeShortcode(text, shortcode, el.selectionStart, option.emoji);
    caretAfter.current = done.caret;
    setShortcode(null);
    saveRecentEmoji(rememberEmoji(loadRecentEmoji(), option.emoji));
    onText(done.text);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    const open = shortcode;
    if (!open) return false;
    const dismiss = () => {
      dismissed.current = open.start;
      setShortcode(null);
    };
    return completionKey(event, { options: options, active, select: setSelected, choose, dismiss });
  };

  return { options, active, track, choose, close: () => setShortcode(null), onKeyDown };
}

function optionsFor(index: readonly EmojiEntry[], query: string): EmojiOption[] {
  const tone = loadSkinTone();
  return searchEmoji(index, query, maxOptions).map((entry) => {
    // The name being typed (🎉 is :party: in emojibase and :tada: on GitHub): the one that matches.
    const shortcode = entry.shortcodes.find((s) => s.startsWith(query)) ?? entry.shortcodes[0];
    return { emoji: withTone(entry, tone), name: shortcode ? `:${shortcode}:` : entry.label };
  });
}
