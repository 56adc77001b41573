/**
 * What a reaction may be: one emoji that the Unicode emoji data lists as
 * fully-qualified (skin tones and ZWJ sequences included, components such as
 * a lone skin-tone swatch not), or a `:shortcode:` from the emojibase or
 * GitHub sets that names one. The answer is always the Unicode form, so the
 * log and the read model hold one spelling per emoji.
 *
 * The data (emojibase-data: meta/hexcodes.json and two English shortcode
 * sets) is read once, on the first reaction, not at start: measured on
 * Node 20 here, 90–140 ms (on a busy 2-core machine) and about 2.5 MB of
 * heap for 3,944 emoji; a lookup then costs well under a microsecond.
 */
import { createRequire } from 'node:module';
import { ValidationError } from '../errors.ts';

/** Distinct emoji one message may carry: the 21st is refused (a wall of reactions helps nobody). */
export const MAX_DISTINCT_EMOJI = 20;
/** `ReactionGroup.users(first:)`: how many reactors one group lists by default and at most. */
export const REACTION_USERS = { default: 10, max: 100 } as const;
/** Longer input is no emoji or shortcode in the data: refused before any lookup. */
const MAX_INPUT_LENGTH = 100;

const SHORTCODE = /^:([a-z0-9_+-]{1,64}):$/i;
/** emojibase's qualifier for a fully-qualified sequence (emojibase FULLY_QUALIFIED). */
const FULLY_QUALIFIED = 0;
/** U+FE0E asks for text presentation: not an emoji to react with. */
const TEXT_PRESENTATION = 'FE0E';

interface EmojiData {
  /** Every fully-qualified spelling → the one stored (👍 for 👍 and 👍 + U+FE0F). */
  readonly emoji: ReadonlyMap<string, string>;
  /** Shortcode name (no colons, lower case) → emoji. */
  readonly shortcodes: ReadonlyMap<string, string>;
  /** An unqualified or minimally-qualified spelling → the emoji, to name it in the refusal. */
  readonly qualified: ReadonlyMap<string, string>;
}

let loaded: EmojiData | undefined;

/** The emoji data, read on first use. */
function emojiData(): EmojiData {
  loaded ??= loadEmojiData();
  return loaded;
}

/** The emoji a shortcode name (no colons, lower case) stands for, from the same data as reactions (input/shortcodes.ts). */
export function shortcodeEmoji(name: string): string | undefined {
  return emojiData().shortcodes.get(name);
}

const fromHexcode = (hexcode: string): string => String.fromCodePoint(...hexcode.split('-').map((hex) => Number.parseInt(hex, 16)));

/**
 * From emojibase's meta/hexcodes.json: each emoji (components and lone
 * regional indicators are not in it) with every spelling and its qualifier,
 * as Unicode's emoji-test.txt gives them. The spelling stored is the
 * shortest fully-qualified one: emoji-test.txt's.
 */
function loadEmojiData(): EmojiData {
  const require = createRequire(import.meta.url);
  const emoji = new Map<string, string>();
  const qualified = new Map<string, string>();
  const byHexcode = new Map<string, string>();
  for (const [hexcode, spellings] of hexcodeEntries(require('emojibase-data/meta/hexcodes.json'))) {
    const full = spellings.filter(([spelling, qualifier]) => qualifier === FULLY_QUALIFIED && !spelling.includes(TEXT_PRESENTATION)).map(([spelling]) => fromHexcode(spelling));
    const stored = full.sort((a, b) => [...a].length - [...b].length)[0];
    if (stored === undefined) continue;
    byHexcode.set(hexcode, stored);
    for (const spelling of full) emoji.set(spelling, stored);
    for (const [spelling, qualifier] of spellings) if (qualifier !== FULLY_QUALIFIED && !spelling.includes(TEXT_PRESENTATION)) qualified.set(fromHexcode(spelling), stored);
  }
  const shortcodes = new Map<string, string>();
  // emojibase's names first; GitHub's add the ones people type on GitHub and Slack.
  for (const set of ['emojibase', 'github']) {
    for (const [hexcode, names] of shortcodeEntries(require(`emojibase-data/en/shortcodes/${set}.json`))) {
      const unicode = byHexcode.get(hexcode);
      if (unicode === undefined) continue;
      for (const name of names) if (!shortcodes.has(name.toLowerCase())) shortcodes.set(name.toLowerCase(), unicode);
    }
  }
  return { emoji, shortcodes, qualified };
}

/** The parts of the data we use, checked: a changed format fails loudly at the first reaction, not with a wrong answer. */
function hexcodeEntries(json: unknown): Array<[string, Array<[string, unknown]>]> {
  if (typeof json !== 'object' || json === null) throw new Error('emojibase-data meta/hexcodes.json: not an object');
  return Object.entries(json).map(([hexcode, spellings]: [string, unknown]) => {
    if (typeof spellings !== 'object' || spellings === null) throw new Error(`emojibase-data meta/hexcodes.json: bad entry ${hexcode}`);
    return [hexcode, Object.entries(spellings)];
  });
}

function shortcodeEntries(json: unknown): Array<[string, readonly string[]]> {
  if (typeof json !== 'object' || json === null) throw new Error('emojibase-data shortcodes: not an object');
  return Object.entries(json).map(([hexcode, names]: [string, unknown]) => {
    const list = typeof names === 'string' ? [names] : names;
    if (!Array.isArray(list) || !list.every((name): name is string => typeof name === 'string')) throw new Error(`emojibase-data shortcodes: bad entry ${hexcode}`);
    return [hexcode, list];
  });
}

/**
 * The reaction `value` stands for, as one fully-qualified Unicode emoji;
 * BAD_USER_INPUT (field `emoji`) for anything else. Surrounding whitespace
 * is ignored.
 */
export function reactionEmoji(value: string): string {
  const trimmed = value.length > MAX_INPUT_LENGTH ? '' : value.trim();
  if (trimmed.length === 0) {
    throw new ValidationError('emoji must be one emoji, or a :shortcode: that names one', { field: 'emoji' });
  }
  const data = emojiData();
  const shortcode = SHORTCODE.exec(trimmed);
  if (shortcode) {
    const found = data.shortcodes.get(shortcode[1]!.toLowerCase());
    if (found === undefined) throw new ValidationError(`emoji: no emoji has the shortcode ${trimmed}`, { field: 'emoji', rule: 'unknownShortcode' });
    return found;
  }
  const stored = data.emoji.get(trimmed);
  if (stored !== undefined) return stored;
  const fullyQualified = data.qualified.get(trimmed);
  if (fullyQualified !== undefined) {
    throw new ValidationError(`emoji must be fully-qualified: send ${fullyQualified} (with U+FE0F)`, { field: 'emoji', rule: 'notFullyQualified', expected: fullyQualified });
  }
  throw new ValidationError('emoji must be one fully-qualified Unicode emoji, or a :shortcode: that names one', { field: 'emoji', rule: 'notAnEmoji' });
}
