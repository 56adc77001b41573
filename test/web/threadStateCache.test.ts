/**
 * The session's cache of left threads: the most recently left are kept (LRU),
 * each trimmed to its newest messages from a message whose cursor lets
 * "older" continue the log; and the plan of a jump thousands back.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../web/src/api/operations.ts';
import { addMessages, emptyMessageLog } from '../../web/src/thread/messageLog.ts';
import { createThreadStateCache, trimmed, type ThreadSnapshot } from '../../web/src/thread/threadStateCache.ts';
import { contextAbove, fullPageSize, pagesToTarget } from '../../web/src/search/jumpPlan.ts';

const messages = Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, position: String(i + 1) }) as unknown as Message);

function snapshot(count: number, paged: (id: string) => boolean = () => true): ThreadSnapshot {
  const log = addMessages(emptyMessageLog, messages.slice(10 - count));
  return {
    title: 't', createdBy: null, locked: false, bots: [], entry: null, log,
    cursors: new Map(log.messages.filter((m) => paged(m.id)).map((m) => [m.id, `c-${m.id}`])),
    olderCursor: 'c-start', latestPosition: '10', resumeFrom: '10', anchor: null,
  };
}

describe('the thread state cache', () => {
  it('given more threads left than it keeps, then the least recently used one goes, and reading one makes it recent', () => {
    const cache = createThreadStateCache(2, 100);
    cache.put('a', snapshot(3));
    cache.put('b', snapshot(3));
    expect(cache.get('a')).toBeDefined();
    cache.put('c', snapshot(3));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('given a thread with more messages than it keeps, then the newest are kept and "older" resumes from the oldest one kept', () => {
    const kept = trimmed(snapshot(10), 4);
    expect(kept.log.messages.map((m) => m.id)).toEqual(['m6', 'm7', 'm8', 'm9']);
    expect([...kept.log.ids]).toEqual(['m6', 'm7', 'm8', 'm9']);
    expect(kept.olderCursor).toBe('c-m6');
  });

  it('given the messages it would cut at came live (no cursor), then it cuts at the next paged one, or not at all', () => {
    expect(trimmed(snapshot(10, (id) => id !== 'm6'), 4).log.messages.map((m) => m.id)).toEqual(['m7', 'm8', 'm9']);
    expect(trimmed(snapshot(10, (id) => id === 'm0'), 4).log.messages).toHaveLength(10);
  });
});

describe('the plan of a jump far back', () => {
  const cursors = Array.from({ length: 300 }, (_, i) => `c${i}`);

  it('given the target among walked cursors, then full pages cover from a little above it to the oldest loaded, newest first, each before the next newer one', () => {
    const { pages, olderCursor } = pagesToTarget(cursors, 100, 'oldest', true);
    const start = 100 - contextAbove;
    expect(pages[0]).toEqual({ last: fullPageSize, before: 'oldest' });
    expect(pages[1]).toEqual({ last: fullPageSize, before: `c${300 - fullPageSize}` });
    expect(pages.reduce((n, p) => n + p.last, 0)).toBe(300 - start);
    expect(olderCursor).toBe(`c${start}`);
  });

  it('given the target at the very start of the thread, then nothing is left above', () => {
    expect(pagesToTarget(cursors, 0, 'oldest', false).olderCursor).toBeNull();
    expect(pagesToTarget(cursors, 5, 'oldest', false).olderCursor).toBeNull();
  });
});
