/**
 * The offline outbox's pure rules (issue 16): what is stored per thread, how
 * a stored send shows after a reload, and that storage holding anything
 * reads back safely.
 */
import { describe, expect, it } from 'vitest';
import { maxOutboxEntries, parseOutbox, replaceThread, type OutboxEntry } from '../../web/src/outbox/outboxState.ts';
import { sendsToFlush, toOutboxEntry, toPendingSend } from '../../web/src/outbox/pendingOutbox.ts';
import type { PendingSend } from '../../web/src/thread/pendingSends.ts';
import type { Message } from '../../web/src/api/decode.ts';

const ada = { id: 'ada', username: 'ada', displayName: 'Ada' };

function entry(key: string, threadId = 't1', extra: Partial<OutboxEntry> = {}): OutboxEntry {
  return { key, threadId, body: `body ${key}`, replyTo: null, attachmentIds: [], refused: null, ...extra };
}

function pending(key: string, status: PendingSend['status'], extra: Partial<PendingSend> = {}): PendingSend {
  return { key, body: `body ${key}`, replyTo: null, status, error: null, permanent: false, autoRetries: 0, ...extra };
}

const quoted: Message = {
  id: 'm1',
  body: 'the question',
  postedAt: '2026-12-05T01:00:00.000Z',
  position: '12',
  author: ada,
  replyTo: null,
  editedAt: null,
  deletedAt: null,
  reactions: [],
};

describe('outbox state', () => {
  it('replacing one thread keeps the other threads and keys this writer never knew (another tab)', () => {
    const stored = [entry('a', 't1'), entry('b', 't2'), entry('c', 't1')];
    const next = replaceThread(stored, 't1', [entry('d', 't1')], new Set(['a']));
    expect(next.map((e) => e.key)).toEqual(['b', 'c', 'd']);
  });

  it('a thread with nothing unconfirmed leaves no entry of its own behind', () => {
    const next = replaceThread([entry('a'), entry('b', 't2')], 't1', [], new Set(['a']));
    expect(next.map((e) => e.key)).toEqual(['b']);
  });

  it('keeps at most the newest entries', () => {
    const many = Array.from({ length: maxOutboxEntries }, (_, i) => entry(`k${i}`, 't2'));
    const next = replaceThread(many, 't1', [entry('new')], new Set());
    expect(next).toHaveLength(maxOutboxEntries);
    expect(next.at(-1)?.key).toBe('new');
    expect(next[0]?.key).toBe('k1');
  });

  it('reads back what it stored, reply quote and files included', () => {
    const send = pending('k1', 'offline', { replyTo: quoted });
    const stored = JSON.parse(JSON.stringify([toOutboxEntry(send, 't1', ['file-1'])])) as unknown;
    const [back] = parseOutbox(stored);
    expect(back).toEqual({ key: 'k1', threadId: 't1', body: 'body k1', replyTo: { id: 'm1', body: 'the question', deletedAt: null, author: ada }, attachmentIds: ['file-1'], refused: null });
  });

  it('skips malformed storage instead of failing', () => {
    expect(parseOutbox('nonsense')).toEqual([]);
    expect(parseOutbox({ key: 'x' })).toEqual([]);
    expect(parseOutbox([null, 3, { key: '', threadId: 't', body: 'b' }, { key: 'k', threadId: 't' }, { key: 'ok', threadId: 't', body: 'b', replyTo: 'x', refused: 4 }])).toEqual([
      { key: 'ok', threadId: 't', body: 'b', replyTo: null, attachmentIds: [], refused: null },
    ]);
  });
});

describe('a stored send after a reload', () => {
  it('one never answered waits for the connection, under its original key', () => {
    const back = toPendingSend(toOutboxEntry(pending('k1', 'sending'), 't1', []));
    expect(back).toMatchObject({ key: 'k1', status: 'offline', error: null });
  });

  it('one the server refused stays failed with the server’s words', () => {
    const refused = pending('k1', 'failed', { error: 'body is too long', permanent: true });
    const back = toPendingSend(toOutboxEntry(refused, 't1', []));
    expect(back).toMatchObject({ key: 'k1', status: 'failed', error: 'body is too long', permanent: true });
  });

  it('keeps the quoted message it replies to, for the quote and for settling', () => {
    const back = toPendingSend(toOutboxEntry(pending('k1', 'offline', { replyTo: quoted }), 't1', []));
    expect(back.replyTo?.id).toBe('m1');
    expect(back.replyTo?.author.displayName).toBe('Ada');
  });

  it('only the sends waiting for the connection are flushed, oldest first', () => {
    const list = [pending('a', 'failed'), pending('b', 'offline'), pending('c', 'sending'), pending('d', 'offline')];
    expect(sendsToFlush(list).map((p) => p.key)).toEqual(['b', 'd']);
  });
});
