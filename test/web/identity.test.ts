/**
 * The web client's pure rules for identity and time (issue 16, items 8 and 9):
 * avatar colours from the user id with readable initials in both themes,
 * initials from a name, telling apart people who share a display name, day
 * labels and clock times in the viewer's locale and time zone, the theme
 * preference, and the composer's counter counting as the server counts.
 */
import { describe, expect, it } from 'vitest';
import { avatarColours, contrastRatio, hashId, minimumContrast } from '../../web/src/identity/avatarColour.ts';
import { initialsOf } from '../../web/src/identity/initials.ts';
import { idsWithSharedNames, nameKey } from '../../web/src/identity/sharedNames.ts';
import { clockTime, dayKey, dayLabel, daysAgo, fullDateTime } from '../../web/src/identity/dayLabel.ts';
import { parseTheme, themeAttribute } from '../../web/src/theme/themePreference.ts';
import { bodyLength, counterState, counterText } from '../../web/src/thread/lengthCounter.ts';
import { LIMITS } from '../../src/input/limitValues.ts';
import { validate } from '../../src/input/limits.ts';

describe('avatar colours', () => {
  it('are the same for the same user id every time, and differ between most ids', () => {
    expect(avatarColours('user-1')).toEqual(avatarColours('user-1'));
    const hues = new Set(Array.from({ length: 50 }, (_, i) => avatarColours(`user-${i}`).light));
    expect(hues.size).toBeGreaterThan(35);
  });

  it('give the initials at least 4.5:1 on the avatar in the light and the dark theme, whatever the hue', () => {
    for (let i = 0; i < 2000; i++) {
      const colours = avatarColours(`${i}-${hashId(String(i * 7919))}`);
      expect(contrastRatio(colours.light, colours.lightText)).toBeGreaterThanOrEqual(minimumContrast);
      expect(contrastRatio(colours.dark, colours.darkText)).toBeGreaterThanOrEqual(minimumContrast);
    }
  });

  it('computes WCAG contrast: black on white is 21:1, a colour on itself 1:1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#4057d6', '#4057d6')).toBe(1);
  });
});

describe('initials', () => {
  it('take the first letters of the first and last words of the display name, upper-cased', () => {
    expect(initialsOf({ displayName: 'Ada Lovelace', username: 'ada' })).toBe('AL');
    expect(initialsOf({ displayName: 'Grace Brewster Murray Hopper', username: 'grace' })).toBe('GH');
    expect(initialsOf({ displayName: 'wren', username: 'wren' })).toBe('W');
    expect(initialsOf({ displayName: 'élodie durand', username: 'elodie' })).toBe('ÉD');
  });

  it('keep a whole grapheme and skip words with no letter, falling back to the username', () => {
    expect(initialsOf({ displayName: '👩‍💻 Zoë', username: 'zoe' })).toBe('Z');
    expect(initialsOf({ displayName: 'e\u0301mile', username: 'emile' })).toBe('É');
    expect(initialsOf({ displayName: '✨✨', username: 'sparkle_fan' })).toBe('SF');
    expect(initialsOf({ displayName: '…', username: '___' })).toBe('?');
  });
});

describe('names two people share', () => {
  const ada1 = { id: 'a1', displayName: 'Ada' };
  const ada2 = { id: 'a2', displayName: ' ada ' };
  const bob = { id: 'b', displayName: 'Bob' };

  it('mark both accounts with a display name another account has, and nobody else', () => {
    expect([...idsWithSharedNames([ada1, bob, ada2])].sort()).toEqual(['a1', 'a2']);
  });

  it('do not mark one person seen many times (their messages) or a thread of distinct names', () => {
    expect(idsWithSharedNames([ada1, ada1, ada1, bob]).size).toBe(0);
    expect(idsWithSharedNames([]).size).toBe(0);
  });

  it('compare names as a reader sees them: case, width and spacing do not tell them apart', () => {
    expect(nameKey('Ａｄａ  Lovelace')).toBe(nameKey('ada lovelace'));
    expect(nameKey('Ada')).not.toBe(nameKey('Adam'));
  });
});

describe('days and times', () => {
  const berlin = { locale: 'en-GB', timeZone: 'Europe/Berlin' };
  const now = new Date('2026-12-05T10:00:00Z'); // 11:00 on Saturday 5 December in Berlin

  it('says Today and Yesterday by the viewer’s calendar, not by 24-hour spans', () => {
    expect(dayLabel(new Date('2026-12-04T23:30:00Z'), now, berlin)).toBe('Today'); // 00:30 on the 5th in Berlin
    expect(dayLabel(new Date('2026-12-04T22:59:00Z'), now, berlin)).toBe('Yesterday'); // 23:59 on the 4th
    expect(dayLabel(new Date('2026-12-03T23:30:00Z'), now, berlin)).toBe('Yesterday'); // 00:30 on the 4th, 33 hours ago
  });

  it('gives the weekday and date before yesterday, with the year only when it is not this year', () => {
    expect(dayLabel(new Date('2026-12-01T12:00:00Z'), now, berlin)).toBe('Tuesday 1 December');
    expect(dayLabel(new Date('2025-12-31T12:00:00Z'), now, berlin)).toMatch(/^Wednesday,? 31 December 2025$/); // ICU versions differ on the comma
  });

  it('uses the viewer’s time zone: one instant is today in Tokyo and yesterday in Los Angeles', () => {
    const instant = new Date('2026-12-05T01:00:00Z');
    const at = new Date('2026-12-05T12:00:00Z');
    expect(dayLabel(instant, at, { locale: 'en-US', timeZone: 'Asia/Tokyo' })).toBe('Today');
    expect(dayLabel(instant, at, { locale: 'en-US', timeZone: 'America/Los_Angeles' })).toBe('Yesterday');
    expect(dayKey(instant, { timeZone: 'Asia/Tokyo' })).toBe('2026-12-05');
    expect(dayKey(instant, { timeZone: 'America/Los_Angeles' })).toBe('2026-12-04');
  });

  it('counts calendar days across a daylight-saving change', () => {
    // Berlin leaves summer time on 25 October 2026: that day has 25 hours.
    expect(daysAgo(new Date('2026-10-24T22:30:00Z'), new Date('2026-10-26T00:30:00Z'), berlin)).toBe(1);
  });

  it('speaks the viewer’s language', () => {
    expect(dayLabel(new Date('2026-12-05T08:00:00Z'), now, { locale: 'de-DE', timeZone: 'Europe/Berlin' })).toBe('Heute');
    expect(dayLabel(new Date('2026-12-04T08:00:00Z'), now, { locale: 'fr-FR', timeZone: 'Europe/Berlin' })).toBe('Hier');
  });

  it('writes the group time as the locale does, and the full date and time for the tooltip', () => {
    const instant = new Date('2026-12-05T13:05:00Z');
    expect(clockTime(instant, berlin)).toBe('14:05');
    expect(clockTime(instant, { locale: 'en-US', timeZone: 'Europe/Berlin' })).toMatch(/^2:05\sPM$/);
    expect(fullDateTime(instant, berlin)).toMatch(/^Saturday,? 5 December 2026( at|,) 14:05$/);
  });
});

describe('theme preference', () => {
  it('is light or dark when stored so, and system for nothing or anything else', () => {
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('light')).toBe('light');
    expect(parseTheme(null)).toBe('system');
    expect(parseTheme('sepia')).toBe('system');
  });

  it('puts nothing on <html> for system, so the stylesheet follows prefers-color-scheme', () => {
    expect(themeAttribute('system')).toBeNull();
    expect(themeAttribute('dark')).toBe('dark');
  });
});

describe('the composer’s counter', () => {
  const max = LIMITS.body.max;

  it('counts code points after NFC and trimming, exactly as the server does', () => {
    const samples = ['  hello  ', '👍🏽 ok', 'e\u0301', '𝕏'.repeat(10), '\n\tline one\nline two\n', '👩‍👩‍👧'];
    for (const text of samples) expect(bodyLength(text)).toBe([...validate.body(text)].length);
    expect(bodyLength('😀'.repeat(max))).toBe(max); // 8,000 UTF-16 units, 4,000 characters
  });

  it('is quiet, then warns from 90% of the limit, then says too long past it', () => {
    expect(counterState(max * 0.9 - 1, max)).toBe('quiet');
    expect(counterState(max * 0.9, max)).toBe('near');
    expect(counterState(max, max)).toBe('near');
    expect(counterState(max + 1, max)).toBe('over');
  });

  it('says how many are left or how many too many', () => {
    expect(counterText(3650, 4000, 'near')).toBe('3,650 / 4,000 characters: 350 left.');
    expect(counterText(4002, 4000, 'over')).toBe('4,002 / 4,000 characters: 2 too many to send.');
  });

  it('lets a text of exactly the limit in emoji through the server’s check', () => {
    expect(() => validate.body('😀'.repeat(max))).not.toThrow();
    expect(() => validate.body('😀'.repeat(max + 1))).toThrow(/4000/);
  });
});
