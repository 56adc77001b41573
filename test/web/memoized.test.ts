import { describe, expect, it } from 'vitest';
import { memoized } from '../../web/src/ui/memoized.ts';

describe('memoized', () => {
  it('computes a key once, remembers null results too, and forgets the oldest key past its limit', () => {
    const calls: string[] = [];
    const length = memoized((key) => {
      calls.push(key);
      return key === 'none' ? null : key.length;
    }, 2);
    expect([length('ab'), length('ab'), length('none'), length('none')]).toEqual([2, 2, null, null]);
    expect(calls).toEqual(['ab', 'none']);
    length('abc'); // the third key: 'ab', the oldest, goes
    expect(length('none')).toBeNull();
    expect(length('ab')).toBe(2);
    expect(calls).toEqual(['ab', 'none', 'abc', 'ab']);
  });
});
