/**
 * Loads the emoji data on first use, as its own chunk of the build (about
 * 790 kB of JSON, 135 kB gzipped): the app starts without it, and opening the
 * picker or typing `:` fetches it once, from Thrds itself (no CDN).
 */
import { buildEmojiIndex, type EmojiEntry } from './emojiIndex.ts';

let loading: Promise<readonly EmojiEntry[]> | undefined;

export function loadEmojiIndex(): Promise<readonly EmojiEntry[]> {
  loading ??= Promise.all([
    import('emojibase-data/en/compact.json'),
    import('emojibase-data/en/shortcodes/emojibase.json'),
    import('emojibase-data/en/shortcodes/github.json'),
  ]).then(
    ([compact, emojibase, github]) => buildEmojiIndex(compact.default, [emojibase.default, github.default]),
    (error: unknown) => {
      // A failed chunk load (offline, a deploy replaced the files): try again next time instead of failing forever.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
