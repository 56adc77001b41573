/** The keys of the `@` and `:` completion lists (web/src/ui/completionKeys.ts). */
import type { KeyboardEvent } from 'react';
import { describe, expect, it } from 'vitest';
import { completionKey, type CompletionList } from '../../web/src/ui/completionKeys.ts';

function press(key: string, options: { shiftKey?: boolean; isComposing?: boolean } = {}) {
  let prevented = false;
  const event = { key, shiftKey: options.shiftKey ?? false, nativeEvent: { isComposing: options.isComposing ?? false }, preventDefault: () => (prevented = true) };
  return { event: event as unknown as KeyboardEvent<HTMLTextAreaElement>, prevented: () => prevented };
}

function list(active: number) {
  const seen: string[] = [];
  const value: CompletionList<string> = {
    options: ['a', 'b', 'c'],
    active,
    select: (i) => seen.push(`select ${i}`),
    choose: (o) => seen.push(`choose ${o}`),
    dismiss: () => seen.push('dismiss'),
  };
  return { value, seen };
}

describe('completionKey', () => {
  it('moves round the list with the arrows, picks with Enter or Tab, dismisses with Escape, and keeps those keys from the text box', () => {
    for (const [key, active, expected] of [
      ['ArrowDown', 2, 'select 0'],
      ['ArrowUp', 0, 'select 2'],
      ['Enter', 1, 'choose b'],
      ['Tab', 2, 'choose c'],
      ['Escape', 0, 'dismiss'],
    ] as const) {
      const { value, seen } = list(active);
      const { event, prevented } = press(key);
      expect(completionKey(event, value), key).toBe(true);
      expect(seen).toEqual([expected]);
      expect(prevented()).toBe(true);
    }
  });

  it('leaves other keys, Shift+Enter, keys while an IME composes, and a closed list to the text box', () => {
    const cases = [press('a'), press('Enter', { shiftKey: true }), press('Enter', { isComposing: true })];
    for (const { event, prevented } of cases) {
      const { value, seen } = list(0);
      expect(completionKey(event, value)).toBe(false);
      expect(seen).toEqual([]);
      expect(prevented()).toBe(false);
    }
    const { value, seen } = list(-1);
    expect(completionKey(press('Enter').event, value)).toBe(false);
    expect(seen).toEqual([]);
  });
});
