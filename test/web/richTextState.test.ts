/**
 * The web app's pure rules for rich text and emoji: which link targets a
 * message may carry, which messages show as big emoji, `:` completion over
 * the text and the caret, and the emoji index the picker and completion
 * search (built from the real emojibase data the app bundles).
 */
import { createRequire } from 'node:module';
import type { CompactEmoji } from 'emojibase';
import { describe, expect, it } from 'vitest';
import { safeHref } from '../../web/src/richtext/safeUrl.ts';
import { emojiOnlyCount } from '../../web/src/richtext/emojiOnly.ts';
import { imageText } from '../../web/src/richtext/remarkChat.ts';
import { activeShortcode, completeShortcode, insertAt } from '../../web/src/emoji/emojiCompletion.ts';
import { buildEmojiIndex, canonicalEmoji, recentEntries, searchEmoji, withTone, type EmojiEntry, type ShortcodeSet } from '../../web/src/emoji/emojiIndex.ts';
import { pickerSections } from '../../web/src/emoji/pickerSections.ts';

const require = createRequire(import.meta.url);
const index: readonly EmojiEntry[] = buildEmojiIndex(require('emojibase-data/en/compact.json') as CompactEmoji[], [
  require('emojibase-data/en/shortcodes/emojibase.json') as ShortcodeSet,
  require('emojibase-data/en/shortcodes/github.json') as ShortcodeSet,
]);
const entry = (emoji: string): EmojiEntry => {
  const found = index.find((e) => e.emoji === emoji);
  if (!found) throw new Error(`no ${emoji} in the index`);
  return found;
};

describe('link targets', () => {
  it('keeps http, https and mailto links', () => {
    expect(safeHref('https://example.com/a?b=c#d')).toBe('https://example.com/a?b=c#d');
    expect(safeHref('http://example.com')).toBe('http://example.com/');
    expect(safeHref('mailto:someone@example.com')).toBe('mailto:someone@example.com');
    expect(safeHref('HTTPS://EXAMPLE.COM/x')).toBe('https://example.com/x');
  });

  it('drops every other scheme however it is spelled', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      '\u0001javascript:alert(1)',
      'javascript&colon;alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'blob:https://example.com/1',
      'ftp://example.com/',
    ]) {
      expect(safeHref(url), url).toBeUndefined();
    }
  });

  it('drops relative links, fragments and URLs without a host', () => {
    for (const url of ['/graphql', '#top', '?q=1', '//evil.example/x', 'example.com', 'https://', '']) {
      expect(safeHref(url), url).toBeUndefined();
    }
  });
});

describe('big emoji', () => {
  it('counts messages of one to three emoji, spaces between allowed', () => {
    expect(emojiOnlyCount('🎉')).toBe(1);
    expect(emojiOnlyCount(' 👍🏽 ')).toBe(1);
    expect(emojiOnlyCount('🎉🎉')).toBe(2);
    expect(emojiOnlyCount('👨‍👩‍👧 🇫🇷 ❤️')).toBe(3);
    expect(emojiOnlyCount('👍️')).toBe(1);
  });

  it('shows four emoji, or any other text, at the normal size', () => {
    expect(emojiOnlyCount('🎉🎉🎉🎉')).toBe(0);
    expect(emojiOnlyCount('yay 🎉')).toBe(0);
    expect(emojiOnlyCount('🎉!')).toBe(0);
    expect(emojiOnlyCount('')).toBe(0);
    expect(emojiOnlyCount('   ')).toBe(0);
  });

  it('does not take digits, # or a bare © for emoji', () => {
    expect(emojiOnlyCount('1')).toBe(0);
    expect(emojiOnlyCount('#')).toBe(0);
    expect(emojiOnlyCount('©')).toBe(0);
    expect(emojiOnlyCount('#️⃣')).toBe(1);
  });
});

describe('images written in markdown', () => {
  it('show their description and where they point, as text', () => {
    expect(imageText('a cat', 'https://example.com/cat.png')).toBe('a cat (https://example.com/cat.png)');
    expect(imageText('', 'https://example.com/t.png')).toBe('https://example.com/t.png');
    expect(imageText('only words', '')).toBe('only words');
  });
});

describe('`:` completion', () => {
  it('completes a shortcode from its second character, at the start or after a space', () => {
    expect(activeShortcode(':t', 2)).toBeNull();
    expect(activeShortcode(':ta', 3)).toEqual({ start: 0, query: 'ta' });
    expect(activeShortcode('hi :TaD', 7)).toEqual({ start: 3, query: 'tad' });
    expect(activeShortcode('(:+1', 4)).toEqual({ start: 1, query: '+1' });
  });

  it('leaves times, URLs, smileys and finished shortcodes alone', () => {
    expect(activeShortcode('at 12:30', 8)).toBeNull();
    expect(activeShortcode('http://host:8080', 16)).toBeNull();
    expect(activeShortcode('ok :)', 5)).toBeNull();
    expect(activeShortcode('ok :D', 5)).toBeNull();
    expect(activeShortcode(':tada:', 6)).toBeNull();
    expect(activeShortcode(':ta da', 6)).toBeNull();
  });

  it('follows the caret, not the end of the text', () => {
    expect(activeShortcode(':tada and more', 3)).toEqual({ start: 0, query: 'ta' });
  });

  it('puts the emoji and a space in place of the shortcode, the rest of its word and a closing colon', () => {
    expect(completeShortcode('hi :ta', { start: 3, query: 'ta' }, 6, '🎉')).toEqual({ text: 'hi 🎉 ', caret: 6 });
    expect(completeShortcode(':tada: there', { start: 0, query: 'ta' }, 3, '🎉')).toEqual({ text: '🎉 there', caret: 3 });
  });

  it('inserts a picked emoji at the caret, replacing the selection', () => {
    expect(insertAt('ab', 1, 1, '🎉')).toEqual({ text: 'a🎉b', caret: 3 });
    expect(insertAt('abc', 1, 2, '🎉')).toEqual({ text: 'a🎉c', caret: 3 });
  });
});

describe('the emoji index', () => {
  it('holds every emoji once, without skin-tone swatches or lone regional indicators', () => {
    expect(index.length).toBeGreaterThan(1800);
    expect(new Set(index.map((e) => e.emoji)).size).toBe(index.length);
    expect(index.some((e) => e.label.startsWith('regional indicator'))).toBe(false);
    expect(index.some((e) => e.emoji === '🏽')).toBe(false);
  });

  it('is in Unicode order, smileys first', () => {
    expect(index[0]?.emoji).toBe('😀');
    expect(index.at(-1)?.group).toBe(9);
  });

  it('spells emoji as the server stores them (no surplus U+FE0F)', () => {
    expect(canonicalEmoji('👍\uFE0F')).toBe('👍');
    expect(canonicalEmoji('❤\uFE0F')).toBe('❤\uFE0F');
    expect(entry('👍').shortcodes).toContain('+1');
  });

  it('finds an emoji by shortcode first, then by name and tags', () => {
    expect(searchEmoji(index, 'tada', 3)[0]?.emoji).toBe('🎉');
    expect(searchEmoji(index, ':tada:', 1)[0]?.emoji).toBe('🎉');
    expect(searchEmoji(index, 'party popper', 1)[0]?.emoji).toBe('🎉');
    expect(searchEmoji(index, 'thumbs up', 1)[0]?.emoji).toBe('👍');
    expect(searchEmoji(index, 'celebrate').map((e) => e.emoji)).toContain('🎉');
    expect(searchEmoji(index, 'zzzznotanemoji')).toEqual([]);
  });

  it('gives emoji with skin tones all five, in tone order', () => {
    expect(entry('👍').skins).toEqual(['👍🏻', '👍🏼', '👍🏽', '👍🏾', '👍🏿']);
    expect(withTone(entry('👍'), 3)).toBe('👍🏽');
    expect(withTone(entry('👍'), 0)).toBe('👍');
    expect(withTone(entry('🎉'), 5)).toBe('🎉');
  });

  it('finds recent emoji in any tone, in the order they were used', () => {
    const recent = recentEntries(index, ['👍🏽', '🎉', 'not an emoji']);
    expect(recent.map((r) => [r.emoji, r.entry.emoji])).toEqual([
      ['👍🏽', '👍'],
      ['🎉', '🎉'],
    ]);
  });

  it('shows the picker with the recent emoji first, then every group in the chosen tone', () => {
    const sections = pickerSections(index, '', 2, ['🎉']);
    expect(sections[0]?.title).toBe('Recent');
    expect(sections[0]?.cells.map((c) => c.emoji)).toEqual(['🎉']);
    expect(sections[1]?.title).toBe('Smileys & emotion');
    expect(sections.find((s) => s.title === 'People & body')?.cells.map((c) => c.emoji)).toContain('👍🏼');
    expect(sections.some((s) => s.title === 'Components')).toBe(false);
  });

  it('shows only the results while searching, and nothing when nothing matches', () => {
    const found = pickerSections(index, 'thumbs', 4, ['🎉']);
    expect(found.map((s) => s.title)).toEqual(['Search results']);
    expect(found[0]?.cells[0]?.emoji).toBe('👍🏾');
    expect(pickerSections(index, 'zzzznotanemoji', 0, [])).toEqual([]);
  });
});
