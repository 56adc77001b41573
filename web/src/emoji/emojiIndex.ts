/**
 * The emoji the picker and `:` completion offer, built from emojibase's
 * compact English data and its shortcode sets (the same emojibase + GitHub
 * sets, in the same order of precedence, that the server turns `:name:`
 * into emoji with, so what completion offers is what the server would
 * convert). Pure: the JSON is loaded elsewhere (loadEmojiIndex.ts).
 */
import type { CompactEmoji } from 'emojibase';

/** 0 is the default (yellow) emoji; 1–5 are Fitzpatrick types light to dark, as emojibase numbers them. */
export type SkinTone = 0 | 1 | 2 | 3 | 4 | 5;

export interface EmojiEntry {
  /** The emoji without a skin tone. */
  readonly emoji: string;
  /** Unicode's name, e.g. "party popper". */
  readonly label: string;
  /** Without colons, lower case, e.g. ["tada"]. */
  readonly shortcodes: readonly string[];
  readonly tags: readonly string[];
  /** emojibase's group (0 smileys … 9 flags). */
  readonly group: number;
  /** The emoji in skin tones 1–5 (index 0 is tone 1), when it has them. */
  readonly skins?: readonly string[];
}

/** hexcode → shortcode(s), as emojibase-data/en/shortcodes/*.json hold them. */
export type ShortcodeSet = Readonly<Record<string, string | readonly string[]>>;

export const groupNames: readonly string[] = ['Smileys & emotion', 'People & body', 'Components', 'Animals & nature', 'Food & drink', 'Travel & places', 'Activities', 'Objects', 'Symbols', 'Flags'];
/** Skin-tone swatches and hair components: parts of other emoji, not emoji to send. */
const componentGroup = 2;

const toneModifiers = ['1F3FB', '1F3FC', '1F3FD', '1F3FE', '1F3FF'];
const rgiEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');

/**
 * The spelling to insert: emojibase writes some emoji with a surplus U+FE0F
 * (👍️); the shortest fully-qualified form is what the server stores for
 * `:+1:`, and what a reaction must be.
 */
export function canonicalEmoji(unicode: string): string {
  const bare = unicode.replace(/\uFE0F$/u, '');
  return bare !== unicode && rgiEmoji.test(bare) ? bare : unicode;
}

export function buildEmojiIndex(compact: readonly CompactEmoji[], shortcodeSets: readonly ShortcodeSet[]): EmojiEntry[] {
  const entries: { entry: EmojiEntry; order: number }[] = [];
  for (const item of compact) {
    if (item.group === undefined || item.group === componentGroup) continue;
    const shortcodes = new Set<string>();
    for (const set of shortcodeSets) {
      const names = set[item.hexcode];
      for (const name of typeof names === 'string' ? [names] : (names ?? [])) shortcodes.add(name.toLowerCase());
    }
    const skins = singleToneSkins(item.skins ?? []);
    const entry = { emoji: canonicalEmoji(item.unicode), label: item.label, shortcodes: [...shortcodes], tags: item.tags ?? [], group: item.group };
    entries.push({ entry: skins ? { ...entry, skins } : entry, order: item.order ?? Number.MAX_SAFE_INTEGER });
  }
  // Unicode's order (smileys first, flags last), as every picker people know shows them.
  return entries.sort((a, b) => a.order - b.order).map((e) => e.entry);
}

/** The five one-tone variants in tone order; multi-tone ones (🫱🏻‍🫲🏿) are left out: one remembered tone cannot choose them. */
function singleToneSkins(skins: readonly CompactEmoji[]): string[] | undefined {
  const byTone: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  for (const skin of skins) {
    const tones = new Set(skin.hexcode.split('-').filter((code) => toneModifiers.includes(code)));
    const [tone] = tones;
    if (tones.size !== 1 || tone === undefined) continue;
    byTone[toneModifiers.indexOf(tone)] ??= canonicalEmoji(skin.unicode);
  }
  return byTone.every((s): s is string => s !== undefined) ? byTone : undefined;
}

/** The entry's emoji in `tone`, or its default when it has no skin tones. */
export function withTone(entry: EmojiEntry, tone: SkinTone): string {
  return tone === 0 ? entry.emoji : (entry.skins?.[tone - 1] ?? entry.emoji);
}

/**
 * Entries matching `query`, best first: a shortcode equal to it, then
 * shortcodes starting with it, then a word of the name, then a tag, then a
 * shortcode or name containing it; ties in emojibase's order. Several words
 * must all match (each anywhere).
 */
export function searchEmoji(entries: readonly EmojiEntry[], query: string, limit = Number.POSITIVE_INFINITY): EmojiEntry[] {
  const words = query.toLowerCase().replace(/^:|:$/g, '').split(/[\s_]+/).filter(Boolean);
  if (words.length === 0) return entries.slice(0, limit);
  const whole = words.join('_');
  const ranked: { entry: EmojiEntry; rank: number; index: number }[] = [];
  entries.forEach((entry, index) => {
    let worst = 0;
    for (const word of words) {
      const rank = rankWord(entry, word);
      if (rank < 0) return;
      worst = Math.max(worst, rank);
    }
    const exact = entry.shortcodes.includes(whole) ? -1 : 0;
    ranked.push({ entry, rank: exact || worst, index });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return ranked.slice(0, limit).map((r) => r.entry);
}

function rankWord(entry: EmojiEntry, word: string): number {
  if (entry.shortcodes.some((s) => s.startsWith(word))) return 1;
  if (entry.label.toLowerCase().split(/[\s:,-]+/).some((w) => w.startsWith(word))) return 2;
  if (entry.tags.some((t) => t.startsWith(word))) return 3;
  if (entry.shortcodes.some((s) => s.includes(word)) || entry.label.toLowerCase().includes(word)) return 4;
  return -1;
}

/** The entries whose emoji (any tone) is in `recent`, in the order of `recent`, each in the spelling used. */
export function recentEntries(entries: readonly EmojiEntry[], recent: readonly string[]): { entry: EmojiEntry; emoji: string }[] {
  const byEmoji = new Map<string, EmojiEntry>();
  for (const entry of entries) {
    byEmoji.set(entry.emoji, entry);
    for (const skin of entry.skins ?? []) byEmoji.set(skin, entry);
  }
  return recent.flatMap((emoji) => {
    const entry = byEmoji.get(emoji) ?? byEmoji.get(canonicalEmoji(emoji));
    return entry ? [{ entry, emoji }] : [];
  });
}
