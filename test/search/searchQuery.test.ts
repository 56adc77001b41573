/** The query language: what each form parses to, what is refused and how, and a fuzz that only ever sees results or BAD_USER_INPUT. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { mysqlPlan, wordPattern } from '../../src/search/mysqlSearch.ts';
import { parseSearchQuery, SEARCH_LIMITS } from '../../src/search/searchQuery.ts';
import { fts5Expression } from '../../src/search/sqliteSearch.ts';

const words = (query: string) => parseSearchQuery(query).terms.map((t) => ({ w: t.words.map((w) => w.folded), p: t.prefix, n: t.negated }));

const refusedWith = (query: string, pattern: RegExp) => {
  let caught: unknown;
  try {
    parseSearchQuery(query);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  expect((caught as ValidationError).code).toBe('BAD_USER_INPUT');
  expect((caught as ValidationError).message).toMatch(pattern);
};

describe('parseSearchQuery', () => {
  it('reads words, phrases, prefixes and exclusions, folding case and accents', () => {
    expect(words('Café "quick Brown" deplo* -noise -"old news"')).toEqual([
      { w: ['cafe'], p: false, n: false },
      { w: ['quick', 'brown'], p: false, n: false },
      { w: ['deplo'], p: true, n: false },
      { w: ['noise'], p: false, n: true },
      { w: ['old', 'news'], p: false, n: true },
    ]);
  });

  it('reads a word joined by punctuation as a phrase, and leaves out pure punctuation', () => {
    expect(words('foo-bar !!! baz')).toEqual([
      { w: ['foo', 'bar'], p: false, n: false },
      { w: ['baz'], p: false, n: false },
    ]);
  });

  it('reads from: and in: operators, quoted or not, any case', () => {
    const query = parseSearchQuery('deploy FROM:Alice in:release-notes in:"Team Chat" from:bob');
    expect(query.from).toEqual(['alice', 'bob']);
    expect(query.in.map((ws) => ws.map((w) => w.folded))).toEqual([
      ['release', 'notes'],
      ['team', 'chat'],
    ]);
    expect(query.terms).toHaveLength(1);
  });

  it('closes a quote left open at the end of the query', () => {
    expect(words('"quick brown')).toEqual([{ w: ['quick', 'brown'], p: false, n: false }]);
  });

  it('refuses empty, oversized, control characters, operators alone and operators without a value, each with a clear message', () => {
    refusedWith('', /must not be empty/);
    refusedWith('   ', /must not be empty/);
    refusedWith('a'.repeat(SEARCH_LIMITS.queryLength + 1), /at most 256 characters/);
    refusedWith('hello\u0000world', /control characters/);
    refusedWith('\uD800 lone', /control characters/);
    refusedWith('from:alice', /at least one word/);
    refusedWith('-noise', /at least one word/);
    refusedWith('!!! ***', /at least one word/);
    refusedWith('word from:', /from: needs a username/);
    refusedWith('word in:""', /in: needs words/);
    refusedWith('word -from:alice', /not supported/);
    refusedWith(Array.from({ length: SEARCH_LIMITS.terms + 1 }, (_, i) => `w${i}`).join(' '), /at most 12/);
    refusedWith(`"${Array.from({ length: SEARCH_LIMITS.words + 1 }, (_, i) => `w${i}`).join(' ')}"`, /at most 32 words/);
    refusedWith('x'.repeat(SEARCH_LIMITS.wordLength + 1), /at most 64 characters/);
  });

  it('turns into an FTS5 expression of quoted phrases only', () => {
    expect(fts5Expression(parseSearchQuery('quick "brown fox" jum* -lazy'))).toBe('("quick" AND "brown fox" AND "jum" *) NOT "lazy"');
  });

  it('sends indexed words to InnoDB FULLTEXT and short words and stopwords to whole-word patterns', () => {
    const settings = { minToken: 3, stopwords: true };
    expect(mysqlPlan(parseSearchQuery('deploy "end of the world" go the -ok -noise ab*'), settings)).toEqual({
      against: '+deploy +"end of the world" -noise',
      patterns: [
        { pattern: wordPattern(parseSearchQuery('go').terms[0]!), negated: false },
        { pattern: wordPattern(parseSearchQuery('the').terms[0]!), negated: false },
        { pattern: wordPattern(parseSearchQuery('ab*').terms[0]!), negated: false },
        { pattern: wordPattern(parseSearchQuery('ok').terms[0]!), negated: true },
      ],
    });
    expect(wordPattern(parseSearchQuery('"to be"').terms[0]!)).toBe('(*UCP)(?<![\\p{L}\\p{N}\\p{M}])to[^\\p{L}\\p{N}\\p{M}]+be(?![\\p{L}\\p{N}\\p{M}])');
    // Nothing indexed: no FULLTEXT at all, exclusions by pattern too.
    expect(mysqlPlan(parseSearchQuery('hi -noise'), settings).against).toBe('');
  });

  it('fuzz: any string parses to terms with words of letters and digits only, or is refused as BAD_USER_INPUT', () => {
    const alphabet = ['a', 'Z', 'é', '"', '-', '*', ':', ' ', 'from:', 'in:', '(', ')', 'NOT', 'OR', "'", '\\', '%', '_', '😀', '\u0001', '\n', 'ß', '中', '^', '+', '~', '@', '<'];
    let seed = 14;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 5000; i++) {
      const length = Math.floor(random() * 40);
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      try {
        const query = parseSearchQuery(text);
        for (const term of query.terms) for (const word of term.words) expect(word.raw).toMatch(/^[\p{L}\p{N}\p{M}]+$/u);
        expect(fts5Expression(query)).not.toMatch(/[^"]\bOR\b|[()]{2}\)/);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
      }
    }
  });
});
