/** What a reaction may be: one fully-qualified emoji or a shortcode naming one, stored as the Unicode emoji. */
import { describe, expect, it } from 'vitest';
import { reactionEmoji } from '../../src/input/emoji.ts';

const refused = (value: string) => {
  try {
    reactionEmoji(value);
  } catch (error) {
    return error as { code: string; message: string; details: Record<string, unknown> };
  }
  throw new Error(`${JSON.stringify(value)} was accepted`);
};

describe('reactionEmoji', () => {
  it('accepts one fully-qualified emoji as it is: plain, with a skin tone, ZWJ sequences, flags and keycaps', () => {
    for (const emoji of ['👍', '🎉', '👍🏽', '🧑🏻‍🤝‍🧑🏼', '🏳️‍🌈', '👩‍💻', '🇫🇷', '#️⃣', '❤️', '☺️']) expect(reactionEmoji(emoji)).toBe(emoji);
  });

  it('stores one spelling per emoji: a redundant U+FE0F after an emoji-presentation character is dropped', () => {
    expect(reactionEmoji('👍\uFE0F')).toBe('👍');
  });

  it('maps a :shortcode: of the emojibase or GitHub sets to its emoji, whatever its case', () => {
    expect(reactionEmoji(':+1:')).toBe('👍');
    expect(reactionEmoji(':thumbsup:')).toBe('👍');
    expect(reactionEmoji(':TADA:')).toBe('🎉');
    expect(reactionEmoji(':rainbow_flag:')).toBe('🏳️‍🌈');
    expect(reactionEmoji(':+1_tone3:')).toBe('👍🏽');
  });

  it('ignores whitespace around the emoji or shortcode', () => {
    expect(reactionEmoji('  🎉 ')).toBe('🎉');
    expect(reactionEmoji(' :tada:\n')).toBe('🎉');
  });

  it('refuses an unqualified emoji and names the fully-qualified one to send instead', () => {
    const error = refused('☺');
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('☺️');
    expect(error.details).toMatchObject({ field: 'emoji', rule: 'notFullyQualified', expected: '☺️' });
    expect(refused('🏳‍🌈').details).toMatchObject({ rule: 'notFullyQualified', expected: '🏳️‍🌈' });
  });

  it('refuses what is not exactly one emoji: text, two emoji, components alone, a lone regional indicator, text presentation, emptiness', () => {
    for (const value of ['a', 'ok', '👍👍', '👍 🎉', '🏻', '🇦', '☺\uFE0E', '', '   ', '\u200D', 'x'.repeat(10_000), '👍'.repeat(60)]) {
      const error = refused(value);
      expect(error.code, JSON.stringify(value)).toBe('BAD_USER_INPUT');
      expect(error.details.field).toBe('emoji');
    }
  });

  it('refuses a shortcode no set has, saying so', () => {
    const error = refused(':no_such_emoji_here:');
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: { rule: 'unknownShortcode' } });
    expect(error.message).toContain(':no_such_emoji_here:');
    expect(refused('::').code).toBe('BAD_USER_INPUT');
    expect(refused(':tada').code).toBe('BAD_USER_INPUT');
  });
});
