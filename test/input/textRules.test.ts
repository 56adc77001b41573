/** The text rules, given/when/then: what a title, body, display name or username may hold, and what is stored. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { validate } from '../../src/input/limits.ts';
import { hasVisibleCharacter } from '../../src/input/textRules.ts';

/** The refusal `fn` throws: a ValidationError (BAD_USER_INPUT) naming `field`. */
function refusal(fn: () => unknown, field: string): ValidationError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'refused').toBeInstanceOf(ValidationError);
  const error = caught as ValidationError;
  expect(error.code).toBe('BAD_USER_INPUT');
  expect(error.extensions.field).toBe(field);
  expect(error.message).toContain(field);
  return error;
}

const textFields = ['title', 'body', 'displayName'] as const;

describe('lone surrogates', () => {
  for (const field of [...textFields, 'username'] as const) {
    it(`given a ${field} with a lone high or low surrogate, when validated, then it is refused before any other rule`, () => {
      expect(refusal(() => validate[field]('ok \ud83d'), field).extensions.rule).toBe('loneSurrogate');
      expect(refusal(() => validate[field]('\ude00 ok'), field).extensions.rule).toBe('loneSurrogate');
      // Even when the text also breaks a later rule (a NUL), the surrogate is named.
      expect(refusal(() => validate[field]('\u0000\ud83d'), field).extensions.rule).toBe('loneSurrogate');
    });
  }

  it('given a well-formed surrogate pair (an emoji), when validated, then it is kept', () => {
    expect(validate.body('hi 😀')).toBe('hi 😀');
    expect(validate.title('😀')).toBe('😀');
  });
});

describe('control characters', () => {
  for (const field of textFields) {
    for (const [name, char] of [
      ['NUL', '\u0000'],
      ['BEL', '\u0007'],
      ['carriage return', '\r'],
      ['escape', '\u001b'],
      ['DEL', '\u007f'],
      ['C1 NEL', '\u0085'],
      ['C1 CSI', '\u009b'],
    ] as const) {
      it(`given a ${field} holding ${name}, when validated, then it is refused as a control character`, () => {
        const error = refusal(() => validate[field](`a${char}b`), field);
        expect(error.extensions.rule).toBe('controlCharacter');
        expect(error.extensions.index).toBe(1);
      });
    }
  }

  it('given a body with newlines and tabs, when validated, then they are kept', () => {
    expect(validate.body('line one\n\tline two')).toBe('line one\n\tline two');
  });

  for (const field of ['title', 'displayName'] as const) {
    it(`given a ${field} with a newline or a tab, when validated, then it is refused`, () => {
      refusal(() => validate[field]('two\nlines'), field);
      refusal(() => validate[field]('a\tb'), field);
    });
  }
});

describe('bidi overrides and isolates', () => {
  const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
  for (const field of ['title', 'displayName', 'username'] as const) {
    it(`given a ${field} holding any of U+202A–U+202E or U+2066–U+2069, when validated, then it is refused`, () => {
      for (const char of bidi) {
        const value = field === 'username' ? `ana${char}` : `invoice${char}fdp.exe`;
        expect(refusal(() => validate[field](value), field).extensions.rule, `U+${char.codePointAt(0)!.toString(16)}`).toBe('bidiControl');
      }
    });
  }

  it('given a body holding them (right-to-left text may need them), when validated, then it is kept', () => {
    expect(validate.body('\u2067שלום\u2069 world')).toBe('\u2067שלום\u2069 world');
  });

  it('given right-to-left text without overrides, when validated, then it is kept in every field', () => {
    expect(validate.title('שלום עולם')).toBe('שלום עולם');
    expect(validate.displayName('مرحبا')).toBe('مرحبا');
  });
});

describe('no visible character', () => {
  const invisible: Array<[string, string]> = [
    ['spaces', '   '],
    ['zero-width space', '\u200b'],
    ['zero-width non-joiner and joiner', '\u200c\u200d'],
    ['word joiner', '\u2060'],
    ['byte order mark', '\ufeff'],
    ['a combining mark alone', '\u0301'],
    ['variation selectors', '\ufe0f\ufe0e'],
    ['Hangul filler', '\u3164'],
    ['Hangul choseong and jungseong fillers', '\u115f\u1160'],
    ['halfwidth Hangul filler', '\uffa0'],
    ['braille blank', '\u2800'],
    ['a mix of them around ideographic space', '\u200b\u3000\u3164\u2800\u200d'],
    ['tag characters', '\u{e0041}\u{e0042}'],
    ['left-to-right mark', '\u200e'],
    ['soft hyphen', '\u00ad'],
  ];
  for (const field of textFields) {
    for (const [name, value] of invisible) {
      it(`given a ${field} of only ${name}, when validated, then it is refused`, () => {
        refusal(() => validate[field](value), field);
      });
    }
  }

  it('given one visible character among invisible ones, when validated, then the text is kept', () => {
    expect(validate.body('\u200bx\u200b')).toBe('\u200bx\u200b');
    expect(hasVisibleCharacter('\u3164.')).toBe(true);
    expect(hasVisibleCharacter('e\u0301')).toBe(true);
    expect(hasVisibleCharacter('\ue000')).toBe(true);
  });
});

describe('NFC', () => {
  it('given a decomposed é (e + U+0301), when validated, then the composed é is returned in every field', () => {
    expect(validate.title('Caf\u0065\u0301')).toBe('Caf\u00e9');
    expect(validate.body('caf\u0065\u0301!')).toBe('caf\u00e9!');
    expect(validate.displayName('Zoe\u0308')).toBe('Zo\u00eb');
  });

  it('given a title of 200 decomposed é, when validated, then it is accepted: the limit counts code points after NFC', () => {
    expect(validate.title('e\u0301'.repeat(200))).toBe('\u00e9'.repeat(200));
    refusal(() => validate.title('e\u0301'.repeat(201)), 'title');
  });

  it('given surrounding whitespace, when validated, then it is trimmed after normalizing', () => {
    expect(validate.displayName('  Ana  ')).toBe('Ana');
  });
});

describe('passwords', () => {
  it('given a password of 1,024 code points, when validated, then it is accepted; 1,025 is refused', () => {
    expect(validate.password('p'.repeat(1024))).toHaveLength(1024);
    refusal(() => validate.password('p'.repeat(1025)), 'password');
    // Emoji are one code point (two UTF-16 units) each.
    expect(validate.password('😀'.repeat(1024))).toHaveLength(2048);
  });

  it('given a 300 KB password, when its length is checked (as at login), then it is refused without reading it all', () => {
    refusal(() => validate.passwordLength('x'.repeat(300_000)), 'password');
  });

  it('given a password with a lone surrogate, when validated as a new password, then it is refused', () => {
    refusal(() => validate.password('abcdefgh\ud800'), 'password');
  });

  it('given a new password too short for changePassword, when validated, then the refusal names newPassword', () => {
    refusal(() => validate.password('short', 'newPassword'), 'newPassword');
  });
});
