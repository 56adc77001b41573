/**
 * The web client's pure rules for search: snippets with the server's match
 * markers become text and highlighted runs (never HTML), the keys that focus
 * the search box, pages of results, and what the panel says when empty.
 */
import { describe, expect, it } from 'vitest';
import { matchEnd, matchStart, snippetParts } from '../../web/src/search/snippetParts.ts';
import { isSearchShortcut } from '../../web/src/search/searchShortcut.ts';
import { appendPage, searchStatusText } from '../../web/src/search/searchResults.ts';

const m = (text: string) => `${matchStart}${text}${matchEnd}`;

describe('search snippets', () => {
  it('given a snippet with two marked matches, then it is split into plain and highlighted runs in order', () => {
    expect(snippetParts(`…the ${m('quick')} brown ${m('fox')} jumps`)).toEqual([
      { text: '…the ', match: false },
      { text: 'quick', match: true },
      { text: ' brown ', match: false },
      { text: 'fox', match: true },
      { text: ' jumps', match: false },
    ]);
  });

  it('given markup in the text, then it stays text (the parts are rendered as React text nodes)', () => {
    expect(snippetParts(`<img src=x onerror=alert(1)> ${m('<b>')}`)).toEqual([
      { text: '<img src=x onerror=alert(1)> ', match: false },
      { text: '<b>', match: true },
    ]);
  });

  it('given a snippet cut inside a match (a start without an end, or an end without a start), then nothing is lost', () => {
    expect(snippetParts(`a ${matchStart}bc`)).toEqual([
      { text: 'a ', match: false },
      { text: 'bc', match: true },
    ]);
    expect(snippetParts(`ab${matchEnd} c`)).toEqual([
      { text: 'ab', match: false },
      { text: ' c', match: false },
    ]);
  });

  it('keeps emoji and other astral characters whole, and an empty snippet has no parts', () => {
    expect(snippetParts(m('🎉 party'))).toEqual([{ text: '🎉 party', match: true }]);
    expect(snippetParts('')).toEqual([]);
  });
});

describe('the search shortcut', () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  });

  it('Ctrl+K and ⌘K focus the search from anywhere, even while typing in a field', () => {
    expect(isSearchShortcut(key('k', { ctrlKey: true }), { tagName: 'TEXTAREA' })).toBe(true);
    expect(isSearchShortcut(key('K', { metaKey: true }), null)).toBe(true);
    expect(isSearchShortcut(key('k', { ctrlKey: true, shiftKey: true }), null)).toBe(false);
  });

  it('/ focuses the search only when the reader is not typing in a field', () => {
    expect(isSearchShortcut(key('/'), { tagName: 'BODY' })).toBe(true);
    expect(isSearchShortcut(key('/'), { tagName: 'LI' })).toBe(true);
    expect(isSearchShortcut(key('/'), { tagName: 'TEXTAREA' })).toBe(false);
    expect(isSearchShortcut(key('/'), { tagName: 'input' })).toBe(false);
    expect(isSearchShortcut(key('/'), { tagName: 'DIV', isContentEditable: true })).toBe(false);
    expect(isSearchShortcut(key('/', { ctrlKey: true }), null)).toBe(false);
  });

  it('a key pressed while an input method composes is never the shortcut', () => {
    expect(isSearchShortcut({ ...key('/'), isComposing: true }, null)).toBe(false);
  });
});

describe('pages of results', () => {
  const r = (id: string) => ({ message: { id } });

  it('given a first page and a second that repeats one message, then the second adds only the new ones, in order', () => {
    const first = appendPage(null, { results: [r('a'), r('b')], endCursor: 'c1', hasNextPage: true });
    const both = appendPage(first, { results: [r('b'), r('c')], endCursor: 'c2', hasNextPage: false });
    expect(both.results.map((x) => x.message.id)).toEqual(['a', 'b', 'c']);
    expect(both.endCursor).toBe('c2');
    expect(both.hasNextPage).toBe(false);
  });

  it('says what to type when empty, that it searches, that nothing matched, or what went wrong; nothing over a list', () => {
    expect(searchStatusText({ query: ' ', loading: false, error: null, count: null })).toMatch(/Type words/);
    expect(searchStatusText({ query: 'fox', loading: true, error: null, count: null })).toBe('Searching…');
    expect(searchStatusText({ query: 'fox ', loading: false, error: null, count: 0 })).toBe('No messages match “fox”.');
    expect(searchStatusText({ query: 'fox', loading: false, error: 'Could not reach the server.', count: 3 })).toBe('Could not reach the server.');
    expect(searchStatusText({ query: 'fox', loading: true, error: null, count: 3 })).toBeNull();
  });
});
