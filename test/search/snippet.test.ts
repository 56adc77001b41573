/** Snippets: matches marked with U+0002/U+0003, a window around the first match, the same for any store. */
import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../src/search/searchQuery.ts';
import { MATCH_END, MATCH_START, snippetOf } from '../../src/search/snippet.ts';

const mark = (text: string) => text.replaceAll(MATCH_START, '[').replaceAll(MATCH_END, ']');
const snippet = (body: string, query: string) => mark(snippetOf(body, parseSearchQuery(query).terms));

describe('snippetOf', () => {
  it('marks every word, phrase and prefix match, ignoring case and accents, and not exclusions', () => {
    expect(snippet('The Café opens; the cafe closes.', 'cafe')).toBe('The [Café] opens; the [cafe] closes.');
    expect(snippet('quick brown fox, quick red fox', '"quick brown" -red')).toBe('[quick brown] fox, quick red fox');
    expect(snippet('deployment deployed redeploy', 'deploy*')).toBe('[deployment] [deployed] redeploy');
  });

  it('shows a window around the first match of a long text, cut at spaces, with ellipses', () => {
    const body = `${'lorem ipsum '.repeat(40)}needle ${'dolor sit '.repeat(40)}`;
    const result = snippet(body, 'needle');
    expect(result.startsWith('…')).toBe(true);
    expect(result.endsWith('…')).toBe(true);
    expect(result).toContain('[needle]');
    expect(result.length).toBeLessThanOrEqual(203);
    expect(result).not.toMatch(/^…\S*[a-z]ipsum/);
  });

  it('reads newlines as spaces and never splits an emoji', () => {
    expect(snippet('line one\n\nline two', 'two')).toBe('line one line [two]');
    const body = `${'😀'.repeat(150)} word`;
    const result = snippetOf(body, parseSearchQuery('word').terms);
    expect(result).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('gives the start of the text, unmarked, when no word matches (a match the store found by collation)', () => {
    expect(snippet('nothing here', 'other')).toBe('nothing here');
  });
});
