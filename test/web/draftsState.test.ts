/** Composer drafts' pure rules (issue 16): one per thread, removed when emptied, capped, read back safely. */
import { describe, expect, it } from 'vitest';
import { draftOf, maxDraftLength, maxDrafts, parseDrafts, withDraft, type Drafts } from '../../web/src/drafts/draftsState.ts';

describe('drafts', () => {
  it('keeps one draft per thread', () => {
    const drafts = withDraft(withDraft({}, 't1', 'hello', 1), 't2', 'other', 2);
    expect(draftOf(drafts, 't1')).toBe('hello');
    expect(draftOf(drafts, 't2')).toBe('other');
    expect(draftOf(drafts, 't3')).toBe('');
  });

  it('an emptied (or blank) composer removes its draft', () => {
    const drafts = withDraft(withDraft({}, 't1', 'hello', 1), 't1', '   ', 2);
    expect(drafts).toEqual({});
  });

  it('forgets the least recently written thread past the cap', () => {
    let drafts: Drafts = {};
    for (let i = 0; i < maxDrafts; i++) drafts = withDraft(drafts, `t${i}`, `draft ${i}`, i);
    drafts = withDraft(drafts, 't0', 'written again', 100);
    drafts = withDraft(drafts, 'new', 'one more', 101);
    expect(Object.keys(drafts)).toHaveLength(maxDrafts);
    expect(draftOf(drafts, 't0')).toBe('written again');
    expect(draftOf(drafts, 't1')).toBe('');
    expect(draftOf(drafts, 'new')).toBe('one more');
  });

  it('caps the length of a draft', () => {
    expect(draftOf(withDraft({}, 't1', 'x'.repeat(maxDraftLength + 10), 1), 't1')).toHaveLength(maxDraftLength);
  });

  it('reads back stored drafts and skips anything malformed', () => {
    expect(parseDrafts(JSON.parse(JSON.stringify(withDraft({}, 't1', 'hello', 5))))).toEqual({ t1: { text: 'hello', savedAt: 5 } });
    expect(parseDrafts(null)).toEqual({});
    expect(parseDrafts(['x'])).toEqual({});
    expect(parseDrafts({ a: 'x', b: { text: 3, savedAt: 1 }, c: { text: 'ok', savedAt: 'soon' }, d: { text: 'fine', savedAt: 2 } })).toEqual({ d: { text: 'fine', savedAt: 2 } });
  });
});
