/**
 * The chain hash and every exported line carry recordedAt as ISO 8601; the
 * cached formatter must write exactly what Date#toISOString writes, or logs
 * would stop verifying. Compared on the instants where a cached prefix could
 * go wrong: second and day boundaries in both directions, before 1970,
 * beyond year 9999, and values Date itself truncates or refuses.
 */
import { describe, expect, it } from 'vitest';
import { isoInstant } from '../../src/events/isoInstant.ts';

const plain = (ms: number): string => new Date(ms).toISOString();

describe('isoInstant', () => {
  it('writes what toISOString writes for every millisecond across second and day boundaries, walking forwards and backwards', () => {
    const dayEnd = Date.UTC(2026, 11, 31, 23, 59, 58);
    for (let ms = dayEnd; ms < dayEnd + 3000; ms += 1) expect(isoInstant(ms)).toBe(plain(ms));
    for (let ms = dayEnd + 3000; ms > dayEnd; ms -= 7) expect(isoInstant(ms)).toBe(plain(ms));
  });

  it('writes instants before 1970 and beyond year 9999 as toISOString does', () => {
    for (const ms of [-1, -999, -1000, -1001, -62_198_755_200_001, 0, 1, 999, 1000, 253_402_300_799_999, 253_402_300_800_000, 8.64e15]) {
      expect(isoInstant(ms)).toBe(plain(ms));
    }
  });

  it('truncates a fractional millisecond as Date does, and refuses what Date refuses', () => {
    expect(isoInstant(1_750_000_000_000.9)).toBe(plain(1_750_000_000_000.9));
    expect(() => isoInstant(Number.NaN)).toThrow(RangeError);
    expect(() => isoInstant(8.64e15 + 1)).toThrow(RangeError);
  });
});
