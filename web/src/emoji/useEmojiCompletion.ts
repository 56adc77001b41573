/**
 * The state of `:` completion over a text box, driven like `@` completion
 * (mentions/useMentionCompletion.ts): arrows move, Enter or Tab picks,
 * Escape closes (that `:` is not offered again until the caret leaves its
 * word). The emoji data loads the first time a shortcode is typed; the
 * options appear once it has. Picks go to the recent emoji and use the
 * remembered skin tone.
 */
import { useState, type RefObject } from 'react';
import { type TextCompletion, useTextCompletion } from '../ui/useTextCompletion.ts';
import { loadRecentEmoji, rememberEmoji, saveRecentEmoji } from '../thread/recentEmoji.ts';
import { activeShortcode, completeShortcode } from './emojiCompletion.ts';
import { searchEmoji, withTone, type EmojiEntry } from './emojiIndex.ts';
import { loadEmojiIndex } from './loadEmojiIndex.ts';
import { loadSkinTone } from './skinTone.ts';

export interface EmojiOption {
  readonly emoji: string;
  /** The shortcode shown beside it (one that starts with what was typed, or its first, or its name when it has none). */
  readonly name: string;
}

/** The emoji offered (`options`), which one is selected, and the keys. */
export type EmojiCompletion = TextCompletion<EmojiOption>;

export interface EmojiCompletionOptions {
  readonly input: RefObject<HTMLTextAreaElement | null>;
  readonly text: string;
  readonly onText: (text: string) => void;
}

const maxOptions = 8;

export function useEmojiCompletion({ input, text, onText }: EmojiCompletionOptions): EmojiCompletion {
  const [index, setIndex] = useState<readonly EmojiEntry[] | null>(null);
  return useTextCompletion({
    input,
    text,
    onText,
    find: activeShortcode,
    optionsFor: (shortcode) => (index ? optionsFor(index, shortcode.query) : []),
    complete: (value, shortcode, caret, option) => completeShortcode(value, shortcode, caret, option.emoji),
    onToken: () => {
      if (!index) loadEmojiIndex().then(setIndex, (error: unknown) => console.warn('Thrds: cannot load the emoji data', error));
    },
    onChosen: (option) => saveRecentEmoji(rememberEmoji(loadRecentEmoji(), option.emoji)),
  });
}

function optionsFor(index: readonly EmojiEntry[], query: string): EmojiOption[] {
  const tone = loadSkinTone();
  return searchEmoji(index, query, maxOptions).map((entry) => {
    // The name being typed (🎉 is :party: in emojibase and :tada: on GitHub): the one that matches.
    const shortcode = entry.shortcodes.find((s) => s.startsWith(query)) ?? entry.shortcodes[0];
    return { emoji: withTone(entry, tone), name: shortcode ? `:${shortcode}:` : entry.label };
  });
}
