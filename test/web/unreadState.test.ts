/**
 * The web client's pure rules for unread messages and mentions: the counts
 * per thread and in all, the tab title, where the "New" divider goes on
 * entering a thread, `@` completion and which words are mentions.
 */
import { describe, expect, it } from 'vitest';
import { applyUnread, emptyUnread, newlyMentioned, totalUnreadThreads, withServerTotal, type ThreadUnread } from '../../web/src/unread/unreadState.ts';
import { tabTitle } from '../../web/src/unread/tabTitle.ts';
import { newDividerBefore, type DividerMessage } from '../../web/src/unread/newDivider.ts';
import { activeMention, completeMention, mentionCandidates } from '../../web/src/mentions/mentionCompletion.ts';
import { mentionParts } from '../../web/src/mentions/mentionParts.ts';

const unread = (unreadCount: number, position: number, lastRead: number | null, unreadMentionCount = 0): ThreadUnread => ({
  unreadCount,
  unreadMentionCount,
  position: String(position),
  lastReadPosition: lastRead === null ? null : String(lastRead),
});

describe('unread counts per thread', () => {
  it('given a thread with 2 unread, when a newer update says 3, then it shows 3', () => {
    const { state } = applyUnread(emptyUnread, new Map([['t1', unread(2, 10, 5)]]));
    const next = applyUnread(state, new Map([['t1', unread(3, 11, 5)]])).state;
    expect(next.threads.get('t1')?.unreadCount).toBe(3);
  });

  it('given a read marker moved, when a page loaded before the read arrives late, then the read state stays', () => {
    const { state } = applyUnread(emptyUnread, new Map([['t1', unread(0, 11, 11)]]));
    const next = applyUnread(state, new Map([['t1', unread(3, 11, 5)]])).state;
    expect(next).toBe(state);
  });

  it('given a newer post, when an older update arrives after it, then the newer counts stay', () => {
    const { state } = applyUnread(emptyUnread, new Map([['t1', unread(4, 12, 5)]]));
    expect(applyUnread(state, new Map([['t1', unread(3, 11, 5)]])).state).toBe(state);
  });

  it('reports threads heard of for the first time, so the total can be asked again', () => {
    const { state } = applyUnread(emptyUnread, new Map([['t1', unread(1, 10, 5)]]));
    expect(applyUnread(state, new Map([['t1', unread(2, 11, 5)], ['t2', unread(1, 12, null)]])).unknown).toEqual(['t2']);
  });
});

describe('the total of unread threads', () => {
  it('counts the server total once: threads not loaded stay counted beside the known ones', () => {
    const loaded = applyUnread(emptyUnread, new Map([['t1', unread(2, 10, 5)], ['t2', unread(0, 9, 9)]])).state;
    const state = withServerTotal(loaded, 3);
    expect(totalUnreadThreads(state)).toBe(3);
  });

  it('given a known thread read, then the total falls by one; given another becoming unread, it rises', () => {
    const state = withServerTotal(applyUnread(emptyUnread, new Map([['t1', unread(2, 10, 5)], ['t2', unread(0, 9, 9)]])).state, 2);
    const read = applyUnread(state, new Map([['t1', unread(0, 10, 10)]])).state;
    expect(totalUnreadThreads(read)).toBe(1);
    const posted = applyUnread(read, new Map([['t2', unread(1, 13, 9)]])).state;
    expect(totalUnreadThreads(posted)).toBe(2);
  });
});

describe('when a mention is news (a notification while the tab is hidden)', () => {
  it('given a known thread, when its unread mentions go up, then the viewer was mentioned', () => {
    expect(newlyMentioned(unread(1, 10, 5, 0), unread(2, 11, 5, 1), 'MESSAGE_POSTED')).toBe(true);
    expect(newlyMentioned(unread(2, 11, 5, 1), unread(3, 12, 5, 2), 'MESSAGE_EDITED')).toBe(true);
  });

  it('given the count stayed or fell (another post, a read, a deletion), then not', () => {
    expect(newlyMentioned(unread(1, 10, 5, 1), unread(2, 11, 5, 1), 'MESSAGE_POSTED')).toBe(false);
    expect(newlyMentioned(unread(2, 11, 5, 1), unread(0, 11, 11, 0), 'READ')).toBe(false);
  });

  it('given an update older than what is shown, then not, whatever it counts', () => {
    expect(newlyMentioned(unread(0, 12, 12, 0), unread(2, 11, 5, 1), 'MESSAGE_POSTED')).toBe(false);
  });

  it('given a thread heard of for the first time, only a post carrying a mention is news', () => {
    expect(newlyMentioned(undefined, unread(1, 10, null, 1), 'MESSAGE_POSTED')).toBe(true);
    expect(newlyMentioned(undefined, unread(1, 10, null, 1), 'READ')).toBe(false);
  });
});

describe('the tab title', () => {
  it('starts with (N) while N threads have unread messages', () => {
    expect(tabTitle(3, 'Release day')).toBe('(3) Release day · Thrds');
    expect(tabTitle(1, null)).toBe('(1) Thrds');
  });

  it('has no count when everything is read', () => {
    expect(tabTitle(0, 'Release day')).toBe('Release day · Thrds');
    expect(tabTitle(0, null)).toBe('Thrds');
  });
});

const me = 'u-me';
const them = 'u-them';
function msg(position: number, author = them, deletedAt: string | null = null): DividerMessage {
  return { id: `m-${position}`, position: String(position), author: { id: author }, deletedAt };
}

describe('the "New" divider on entering a thread', () => {
  it('sits above the first message after the marker', () => {
    expect(newDividerBefore([msg(1), msg(2), msg(3)], { lastReadPosition: '1', unreadCount: 2 }, me)).toBe('m-2');
  });

  it('skips the viewer\'s own messages and deleted ones, as the count does', () => {
    const messages = [msg(1), msg(2, me), msg(3, them, '2026-01-01T00:00:00Z'), msg(4)];
    expect(newDividerBefore(messages, { lastReadPosition: '1', unreadCount: 1 }, me)).toBe('m-4');
  });

  it('is not shown when nothing is unread', () => {
    expect(newDividerBefore([msg(1), msg(2)], { lastReadPosition: '1', unreadCount: 0 }, me)).toBeNull();
  });

  it('with no marker yet, goes above the newest messages the count says are unread', () => {
    expect(newDividerBefore([msg(1), msg(2), msg(3, me), msg(4)], { lastReadPosition: null, unreadCount: 2 }, me)).toBe('m-2');
  });

  it('with the marker before the loaded page, goes above the first loaded message', () => {
    expect(newDividerBefore([msg(50), msg(51)], { lastReadPosition: '3', unreadCount: 60 }, me)).toBe('m-50');
  });
});

const people = [
  { id: 'u-ada', username: 'ada', displayName: 'Ada Lovelace' },
  { id: 'u-adam', username: 'adam', displayName: 'Adam Smith' },
  { id: 'u-bob', username: 'bob', displayName: 'Bob Adams' },
  { id: 'u-cleo', username: 'cleo_dash', displayName: 'Cleo' },
  { id: me, username: 'admiral', displayName: 'Me' },
];

describe('@ completion', () => {
  it('finds the word being completed after an @ at the start or after a space', () => {
    expect(activeMention('@ad', 3)).toEqual({ start: 0, query: 'ad' });
    expect(activeMention('hi @Bo', 6)).toEqual({ start: 3, query: 'bo' });
    expect(activeMention('hi @', 4)).toEqual({ start: 3, query: '' });
    expect(activeMention('(@bo', 4)).toEqual({ start: 1, query: 'bo' });
  });

  it('does not complete inside an email address, after a space following the name, or with no @', () => {
    expect(activeMention('mail ada@example', 16)).toBeNull();
    expect(activeMention('@ada and', 8)).toBeNull();
    expect(activeMention('hello', 5)).toBeNull();
  });

  it('ranks usernames starting with the query first, then display names, then usernames containing it; never the viewer', () => {
    expect(mentionCandidates(people, 'ad', me).map((u) => u.username)).toEqual(['ada', 'adam', 'bob']);
    expect(mentionCandidates(people, 'dash', me).map((u) => u.username)).toEqual(['cleo_dash']);
    expect(mentionCandidates(people, '', me).map((u) => u.username)).toEqual(['ada', 'adam', 'bob', 'cleo_dash']);
  });

  it('lists each person once, however often they are known', () => {
    expect(mentionCandidates([...people, ...people], 'bo', me)).toHaveLength(1);
  });

  it('replaces the partial word with the username and a space, caret after it', () => {
    const text = 'hey @ad how';
    const mention = activeMention(text, 7);
    expect(mention).not.toBeNull();
    expect(completeMention(text, mention!, 7, 'adam')).toEqual({ text: 'hey @adam how', caret: 10 });
    expect(completeMention('@b', { start: 0, query: 'b' }, 2, 'bob')).toEqual({ text: '@bob ', caret: 5 });
  });
});

describe('mentions in a message body', () => {
  it('marks only the names the server recognised, case-insensitively', () => {
    expect(mentionParts('hi @Ada and @nobody, see @bob.', ['ada', 'bob'])).toEqual([
      'hi ',
      { text: '@Ada', username: 'ada' },
      ' and @nobody, see ',
      { text: '@bob', username: 'bob' },
      '.',
    ]);
  });

  it('leaves email addresses and text without mentions alone', () => {
    expect(mentionParts('write to x@ada.org', ['ada'])).toEqual(['write to x@ada.org']);
    expect(mentionParts('plain', [])).toEqual(['plain']);
  });
});
