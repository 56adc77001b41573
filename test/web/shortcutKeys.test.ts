/** The key map of web/src/shortcuts/keyMap.ts: which key asks for what, and when a key is left to the page. */
import { describe, expect, it } from 'vitest';
import { neighbourThread, shortcutFor } from '../../web/src/shortcuts/keyMap.ts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean; isComposing: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});
const page = { tagName: 'DIV' };
const field = { tagName: 'TEXTAREA' };

describe('shortcutFor', () => {
  it('? opens the sheet, n starts a thread, Alt+↑/↓ change thread, outside fields', () => {
    expect(shortcutFor(key('?', { shiftKey: true }), page)).toBe('help');
    expect(shortcutFor(key('n'), page)).toBe('new-thread');
    expect(shortcutFor(key('ArrowUp', { altKey: true }), page)).toBe('previous-thread');
    expect(shortcutFor(key('ArrowDown', { altKey: true }), page)).toBe('next-thread');
  });

  it('none fires while typing in a field, nor during an IME composition', () => {
    for (const k of [key('?'), key('n'), key('ArrowUp', { altKey: true })]) expect(shortcutFor(k, field)).toBeNull();
    expect(shortcutFor(key('n'), { tagName: 'INPUT' })).toBeNull();
    expect(shortcutFor(key('n'), { isContentEditable: true })).toBeNull();
    expect(shortcutFor(key('n', { isComposing: true }), page)).toBeNull();
  });

  it('keys with Ctrl or ⌘, Shift+N, plain arrows and the search keys are left to the page and the search box', () => {
    expect(shortcutFor(key('n', { ctrlKey: true }), page)).toBeNull();
    expect(shortcutFor(key('N', { shiftKey: true }), page)).toBeNull();
    expect(shortcutFor(key('ArrowDown'), page)).toBeNull();
    expect(shortcutFor(key('ArrowDown', { altKey: true, shiftKey: true }), page)).toBeNull();
    expect(shortcutFor(key('/'), page)).toBeNull();
    expect(shortcutFor(key('k', { ctrlKey: true }), page)).toBeNull();
  });
});

describe('neighbourThread', () => {
  const ids = ['a', 'b', 'c'];
  it('moves one thread up or down the list and stops at its ends', () => {
    expect(neighbourThread(ids, 'b', 1)).toBe('c');
    expect(neighbourThread(ids, 'b', -1)).toBe('a');
    expect(neighbourThread(ids, 'c', 1)).toBe('c');
    expect(neighbourThread(ids, 'a', -1)).toBe('a');
  });

  it('with no thread open (or one not in the list) it starts at the first; with no threads there is none', () => {
    expect(neighbourThread(ids, null, 1)).toBe('a');
    expect(neighbourThread(ids, 'gone', -1)).toBe('a');
    expect(neighbourThread([], null, 1)).toBeNull();
  });
});
