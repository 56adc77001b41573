/**
 * The virtualized message list's pure parts: the rows it draws (day
 * separators, the "New" divider, grouped messages), the first item index that
 * keeps the reader's place when older rows arrive above, the roving tab
 * index's movement, and the scroll anchor a return restores.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../web/src/api/operations.ts';
import { listRows, shiftedFirstIndex } from '../../web/src/thread/listRows.ts';
import { pageStep, rovingTarget } from '../../web/src/thread/rovingIndex.ts';
import { anchorOf } from '../../web/src/thread/scrollAnchor.ts';

function message(id: string, author: string, postedAt: string, position: string): Message {
  return {
    id, position, postedAt, body: id, author: { id: author, username: author, displayName: author },
    replyTo: null, reactions: [], editedAt: null, deletedAt: null, mentions: [],
  } as unknown as Message;
}

const byDate = (iso: string) => iso.slice(0, 10);
const log = [
  message('a', 'ada', '2026-12-01T10:00:00Z', '1'),
  message('b', 'ada', '2026-12-01T10:01:00Z', '2'),
  message('c', 'bob', '2026-12-01T10:02:00Z', '3'),
  message('d', 'bob', '2026-12-02T09:00:00Z', '4'),
  message('e', 'bob', '2026-12-02T09:30:00Z', '5'),
];

describe('the rows of the message list', () => {
  it('given messages over two days, then a separator opens each day and a message by the same author minutes later continues its block', () => {
    const rows = listRows(log, null, byDate);
    expect(rows.map((r) => r.key)).toEqual(['day:a', 'a', 'b', 'c', 'day:d', 'd', 'e']);
    expect(rows.flatMap((r) => (r.kind === 'message' ? [r.continued] : []))).toEqual([false, true, false, false, false]);
  });

  it('given a divider before a message, then it sits between that day\'s separator and the message', () => {
    expect(listRows(log, 'd', byDate).map((r) => r.key)).toEqual(['day:a', 'a', 'b', 'c', 'day:d', 'new-divider', 'd', 'e']);
  });

  it('given an older page of the same day arrives above, then the first index moves back by the rows added and the old separator\'s removal', () => {
    const before = listRows(log.slice(2), null, byDate); // day:c, c, day:d, d, e
    const after = listRows(log, null, byDate); // day:a, a, b, c, day:d, d, e
    // c was at index 1 (1000 + 1); now at index 3: the first index is 998 so c stays at 1001.
    expect(shiftedFirstIndex(1000, before, after, 'c')).toBe(998);
  });

  it('given messages appended at the end, then the first index stays', () => {
    const before = listRows(log.slice(0, 3), null, byDate);
    expect(shiftedFirstIndex(1000, before, listRows(log, null, byDate), 'a')).toBe(1000);
  });
});

describe('moving between messages with the keyboard', () => {
  it('given the active message, then the arrows move one, the page keys move a page, and Home and End go to the ends, never past them', () => {
    expect(rovingTarget('ArrowUp', 5, 20)).toBe(4);
    expect(rovingTarget('ArrowDown', 5, 20)).toBe(6);
    expect(rovingTarget('PageUp', 5, 20)).toBe(0);
    expect(rovingTarget('PageDown', 5, 20)).toBe(5 + pageStep);
    expect(rovingTarget('Home', 5, 20)).toBe(0);
    expect(rovingTarget('End', 5, 20)).toBe(19);
    expect(rovingTarget('ArrowUp', 0, 20)).toBe(0);
    expect(rovingTarget('ArrowDown', 19, 20)).toBe(19);
  });

  it('given another key or an empty list, then the list does not handle it', () => {
    expect(rovingTarget('a', 5, 20)).toBeNull();
    expect(rovingTarget('ArrowUp', 0, 0)).toBeNull();
  });

  it('given no active message yet (-1), then a move starts from the first', () => {
    expect(rovingTarget('ArrowDown', -1, 3)).toBe(1);
  });
});

describe('the scroll anchor', () => {
  it('given rows around the top of the view, then the anchor is the first row still showing, with how far above the top it starts', () => {
    const rows = [
      { id: 'a', top: 40, bottom: 90 },
      { id: 'b', top: 90, bottom: 150 },
      { id: 'c', top: 150, bottom: 200 },
    ];
    expect(anchorOf(rows, 100)).toEqual({ kind: 'message', messageId: 'b', offset: -10 });
    expect(anchorOf(rows, 300)).toBeNull();
  });
});
