/**
 * The web client's pure state rules: where a resubscription resumes, and how
 * messages and thread activity are merged so that nothing shows twice.
 */
import { describe, expect, it } from 'vitest';
import { advance, createResumeCursor, withLiveAfter } from '../../web/src/api/resumeCursor.ts';
import { addMessages, emptyMessageLog } from '../../web/src/thread/messageLog.ts';
import { settleBy, type PendingSend } from '../../web/src/thread/pendingSends.ts';
import { applyMessagePosted, emptyThreadList, mergeThreads } from '../../web/src/threads/threadListState.ts';
import type { Message, ThreadSummary } from '../../web/src/api/decode.ts';

const ada = { id: 'u-ada', username: 'ada', displayName: 'Ada' };

function message(position: number, body = `m${position}`): Message {
  return {
    id: `m-${position}`,
    body,
    postedAt: new Date(position * 1000).toISOString(),
    position: String(position),
    author: ada,
    replyTo: null,
    editedAt: null,
    deletedAt: null,
    reactions: [],
  };
}

function thread(id: string, position: number, messageCount: number): ThreadSummary {
  return { id, title: id, messageCount, lastActivityAt: new Date(position * 1000).toISOString(), position: String(position) };
}

describe('resuming a subscription', () => {
  it('sends the newest position seen when the same payload is serialised again on reconnect', () => {
    const cursor = createResumeCursor('10');
    const payload = { query: 'subscription', variables: withLiveAfter({ threadId: 't1', after: '10' }, cursor) };
    expect(JSON.parse(JSON.stringify(payload)).variables).toEqual({ threadId: 't1', after: '10' });
    expect(advance(cursor, '12')).toBe(true);
    expect(JSON.parse(JSON.stringify(payload)).variables).toEqual({ threadId: 't1', after: '12' });
  });

  it('refuses positions at or before the cursor, so a replay is dropped', () => {
    const cursor = createResumeCursor('12');
    expect(advance(cursor, '12')).toBe(false);
    expect(advance(cursor, '9')).toBe(false);
    expect(advance(cursor, '13')).toBe(true);
    expect(cursor.current).toBe('13');
  });

  it('compares positions as numbers beyond the range of a double', () => {
    const cursor = createResumeCursor('9007199254740993');
    expect(advance(cursor, '9007199254740992')).toBe(false);
    expect(advance(cursor, '9007199254740994')).toBe(true);
  });
});

describe('a thread’s messages', () => {
  it('holds each message once, in log order, however often and in whatever order it arrives', () => {
    let log = addMessages(emptyMessageLog, [message(5), message(7)]);
    log = addMessages(log, [message(7), message(9), message(9)]);
    log = addMessages(log, [message(1), message(3)]);
    log = addMessages(log, [message(8)]);
    expect(log.messages.map((m) => m.position)).toEqual(['1', '3', '5', '7', '8', '9']);
  });

  it('settles one pending send by the confirmed message with the same text and reply target', () => {
    const pending = (key: string, body: string): PendingSend => ({ key, body, replyTo: null, status: 'sending', error: null, permanent: false, autoRetries: 0 });
    const sends = [pending('k1', 'hi'), pending('k2', 'hi'), pending('k3', 'other')];
    expect(settleBy(sends, message(4, ' hi '), ada.id).map((p) => p.key)).toEqual(['k2', 'k3']);
    expect(settleBy(sends, { ...message(4, 'hi'), author: { ...ada, id: 'someone-else' } }, ada.id)).toBe(sends);
  });
});

describe('the thread list', () => {
  it('orders threads by their latest activity and keeps the fresher copy of each', () => {
    let state = mergeThreads(emptyThreadList, [thread('a', 3, 1), thread('b', 5, 0)]);
    state = mergeThreads(state, [thread('a', 2, 0)]);
    expect(state.threads.map((t) => [t.id, t.messageCount])).toEqual([['b', 0], ['a', 1]]);
    state = mergeThreads(state, [thread('a', 8, 2)]);
    expect(state.threads.map((t) => t.id)).toEqual(['a', 'b']);
    expect(state.seen).toBe('8');
  });

  it('counts a posted message once, whether the thread snapshot in the event is older or newer than the event', () => {
    let state = mergeThreads(emptyThreadList, [thread('a', 2, 0)]);
    state = applyMessagePosted(state, { thread: thread('a', 2, 0), position: '3', postedAt: 'T3' });
    expect(state.threads[0]).toMatchObject({ messageCount: 1, position: '3', lastActivityAt: 'T3' });
    state = applyMessagePosted(state, { thread: thread('a', 2, 0), position: '3', postedAt: 'T3' });
    expect(state.threads[0]).toMatchObject({ messageCount: 1, position: '3' });
    state = applyMessagePosted(state, { thread: thread('a', 4, 2), position: '4', postedAt: 'T4' });
    expect(state.threads[0]).toMatchObject({ messageCount: 2, position: '4' });
  });
});
