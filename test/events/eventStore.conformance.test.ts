/**
 * The event store contract, run against every adapter: SQLite always,
 * MariaDB when reachable (and always under CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consecutiveAfter } from '../../src/events/eventStore.ts';
import { chainHash, GENESIS_HASH } from '../../src/events/hashChain.ts';
import type { StoredEvent } from '../../src/events/types.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, systemMetadata, type TestThrds } from '../support/thrds.ts';

const kinds = await storeKinds();

const one = (streamId: string, data: Record<string, unknown> = {}) => ({
  streamId,
  events: [{ type: 'TestHappened', data }],
  metadata: systemMetadata,
});

describe.each(kinds)('event store on %s', (kind) => {
  let t: TestThrds;
  beforeAll(async () => {
    t = await openTestThrds(kind);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('appends events with positions, stream versions, ids and metadata, and reads them back in order', async () => {
    const before = (await t.store.head()).position;
    const result = await t.store.append({
      streamId: 'basic-1',
      events: [
        { type: 'TestHappened', data: { n: 1, text: 'é ✓ 🎉' } },
        { type: 'TestHappened', data: { n: 2 } },
      ],
      metadata: { actorId: 'someone', correlationId: 'corr-1', causationId: 'cause-1' },
    });
    expect(result.firstPosition).toBe(before + 1);
    expect(result.lastPosition).toBe(before + 2);
    expect(result.streamVersion).toBe(2);
    const read = await t.store.readStream('basic-1');
    expect(read.map((e) => [e.position, e.streamVersion, e.data])).toEqual([
      [before + 1, 1, { n: 1, text: 'é ✓ 🎉' }],
      [before + 2, 2, { n: 2 }],
    ]);
    expect(read[0]!.metadata).toEqual({ actorId: 'someone', correlationId: 'corr-1', causationId: 'cause-1' });
    expect(read[0]!.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(read[0]!.eventId).not.toBe(read[1]!.eventId);
    expect(read[0]!.schemaVersion).toBe(1);
  });

  it('refuses an append whose expected version does not match, with a CONFLICT, and writes nothing', async () => {
    await t.store.append(one('occ-1'));
    const head = await t.store.head();
    await expect(t.store.append({ ...one('occ-1'), expectedVersion: 0 })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(t.store.append({ ...one('occ-1'), expectedVersion: 5 })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(t.store.append({ ...one('occ-new'), expectedVersion: 'stream_exists' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await t.store.head()).toEqual(head);
    const ok = await t.store.append({ ...one('occ-1'), expectedVersion: 1 });
    expect(ok.streamVersion).toBe(2);
  });

  it('lets exactly one of many concurrent writers expecting the same version win', async () => {
    await t.store.append(one('race-1'));
    const other = await t.another();
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? other.store : t.store).append({ ...one('race-1', { i }), expectedVersion: 1 })),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(attempts.filter((a) => a.status === 'rejected').map((a) => (a as PromiseRejectedResult).reason.code)).toEqual(
      new Array(9).fill('CONFLICT'),
    );
    expect(await t.store.readStream('race-1')).toHaveLength(2);
  });

  it('returns the original positions for a repeated idempotency key and writes nothing new', async () => {
    const first = await t.store.append({ ...one('idem-1', { v: 1 }), idempotencyKey: 'key-1', requestHash: 'h1' });
    const head = await t.store.head();
    const again = await t.store.append({ ...one('idem-1', { v: 1 }), idempotencyKey: 'key-1', requestHash: 'h1' });
    expect(again.duplicate).toBe(true);
    expect(again.firstPosition).toBe(first.firstPosition);
    expect(again.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
    expect(await t.store.head()).toEqual(head);
    await expect(t.store.append({ ...one('idem-1', { v: 2 }), idempotencyKey: 'key-1', requestHash: 'h2' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('treats concurrent retries with one idempotency key as one append', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => t.store.append({ ...one('idem-2'), idempotencyKey: 'key-2' })));
    expect(new Set(results.map((r) => r.firstPosition)).size).toBe(1);
    const stored = await t.store.readStream('idem-2');
    expect(stored).toHaveLength(1);
    // Retries that shared the group of the original still answer with its events.
    for (const result of results) expect(result).toMatchObject({ events: stored, streamVersion: 1 });
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
  });

  it('is idempotent on supplied event ids', async () => {
    const eventId = '6f1c1b5e-0000-4000-8000-000000000001';
    const first = await t.store.append({ streamId: 'eid-1', events: [{ type: 'TestHappened', data: {}, eventId }], metadata: systemMetadata });
    const again = await t.store.append({ streamId: 'eid-1', events: [{ type: 'TestHappened', data: {}, eventId }], metadata: systemMetadata });
    expect(again).toMatchObject({ duplicate: true, firstPosition: first.firstPosition, events: first.events });
    expect(await t.store.readStream('eid-1')).toHaveLength(1);
    const otherId = '6f1c1b5e-0000-4000-8000-000000000002';
    const together = await Promise.all(
      Array.from({ length: 3 }, () => t.store.append({ streamId: 'eid-2', events: [{ type: 'TestHappened', data: {}, eventId: otherId }], metadata: systemMetadata })),
    );
    expect(together.map((r) => r.events[0]?.eventId)).toEqual([otherId, otherId, otherId]);
  });

  it('writes a multi-event append all or nothing', async () => {
    const head = await t.store.head();
    await expect(
      t.store.append({
        streamId: 'atomic-1',
        events: [
          { type: 'TestHappened', data: { n: 1 } },
          { type: 'TestHappened', data: { n: 2 } },
        ],
        metadata: systemMetadata,
        withinTransaction: async () => {
          throw new Error('boom after the events were inserted');
        },
      }),
    ).rejects.toThrow('boom');
    expect(await t.store.head()).toEqual(head);
    expect(await t.store.readStream('atomic-1')).toEqual([]);
  });

  it('does not let one failing append take down the others committed in the same group', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        t.store.append({
          ...one(`group-${i}`),
          ...(i === 3 ? { withinTransaction: async () => Promise.reject(new Error('only me')) } : {}),
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    await assertGapFree(t);
  });

  it('refuses a request whose precondition fails on what is committed, writes nothing of it, and commits the rest of its group', async () => {
    await t.store.append(one('pre-guard'));
    const guarded = {
      read: { sql: 'SELECT COUNT(*) AS n FROM events WHERE stream_id = ?', params: ['pre-guard'] },
      refuse: (rows: readonly Record<string, unknown>[]) => (Number(rows[0]?.n ?? 0) > 0 ? new Error('the guard stream exists') : undefined),
    };
    const passing = { ...guarded, read: { ...guarded.read, params: ['pre-nothing'] } };
    const outcomes = await Promise.allSettled([
      t.store.append({ ...one('pre-1'), precondition: guarded, idempotencyKey: 'pre-refused' }),
      t.store.append({ ...one('pre-2'), precondition: passing }),
      t.store.append(one('pre-3')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ message: 'the guard stream exists' });
    expect(await t.store.readStream('pre-1')).toEqual([]);
    expect((await t.store.readStream('pre-2')).length).toBe(1);
    // The refused request's key was not stored: the same request, its precondition now met, appends.
    const retried = await t.store.append({ ...one('pre-1'), precondition: passing, idempotencyKey: 'pre-refused' });
    expect(retried.duplicate).toBe(false);
    await assertGapFree(t);
  });

  it('groups concurrent appends into shared transactions (group commit)', async () => {
    const before = { ...t.store.stats };
    await Promise.all(Array.from({ length: 200 }, (_, i) => t.store.append(one(`gc-${i % 10}`, { i }))));
    const transactions = t.store.stats.transactions - before.transactions;
    expect(t.store.stats.appends - before.appends).toBe(200);
    expect(transactions).toBeLessThan(50);
  });

  it('commits a group far larger than one round trip may carry', async () => {
    const big = '🎉'.repeat(4000);
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => t.store.append(one(`large-${i % 7}`, { i, big }))));
    expect(new Set(results.map((r) => r.firstPosition)).size).toBe(300);
    const stored = await t.store.readAll({ after: results[0]!.firstPosition - 1, limit: 300 });
    expect(stored.every((e) => e.data.big === big)).toBe(true);
    await assertGapFree(t);
  });

  it('keeps positions gap-free and in commit order while 20 independent writers append and readers tail', async () => {
    const writers = await Promise.all(Array.from({ length: 20 }, () => t.another()));
    const start = (await t.store.head()).position;
    const perWriter = 15;
    const total = writers.length * perWriter;
    let done = false;

    // Each reader tails `position > last` as the log feed does, keeping each page up to its first missing
    // position (consecutiveAfter: a commit may be visible a moment before the one below it); it must see
    // every position once, in order.
    const tail = async () => {
      const seen: number[] = [];
      let last = start;
      while (seen.length < total) {
        const page = consecutiveAfter(last, await t.store.readAll({ after: last, limit: 50 }));
        for (const event of page) {
          seen.push(event.position);
          last = event.position;
        }
        if (page.length === 0) {
          if (done && last >= start + total) break;
          await new Promise((r) => setTimeout(r, 1)); // a tailing reader's poll period: the reader under test, not a wait in the test
        }
      }
      return seen;
    };
    const readers = [tail(), tail(), tail()];
    await Promise.all(
      writers.map(async (w, wi) => {
        for (let i = 0; i < perWriter; i += 1) await w.store.append(one(`tail-${wi}`, { i }));
      }),
    );
    done = true;
    const expected = Array.from({ length: total }, (_, i) => start + 1 + i);
    for (const seen of await Promise.all(readers)) expect(seen).toEqual(expected);
    for (let wi = 0; wi < writers.length; wi += 1) {
      expect((await t.store.readStream(`tail-${wi}`)).map((e) => e.data.i)).toEqual(Array.from({ length: perWriter }, (_, i) => i));
    }
  });

  it('chains every event to the one before with a SHA-256 over a canonical form', async () => {
    await t.store.append({ streamId: 'hash-1', events: [{ type: 'TestHappened', data: { z: 1, a: { y: [1, 'x'], b: null } } }], metadata: systemMetadata });
    const events = await t.store.readAll({ limit: 100_000 });
    let previous = GENESIS_HASH;
    for (const event of events) {
      const { hash, ...rest } = event;
      expect(hash, `position ${event.position}`).toBe(chainHash(previous, rest));
      previous = hash;
    }
    expect((await t.store.head()).hash).toBe(previous);
  });

  it('refuses UPDATE and DELETE on the events table', async () => {
    await expect(t.db.execute("UPDATE events SET type = 'Tampered' WHERE position = 1")).rejects.toThrow(/append-only/);
    await expect(t.db.execute('DELETE FROM events WHERE position = 1')).rejects.toThrow(/append-only/);
  });

  it('filters reads by stream, type and position range', async () => {
    await t.store.append({ streamId: 'filter-1', events: [{ type: 'Alpha', data: {} }, { type: 'Beta', data: {} }, { type: 'Alpha', data: {} }], metadata: systemMetadata });
    const stream = await t.store.readAll({ streamId: 'filter-1', types: ['Alpha'] });
    expect(stream.map((e) => e.streamVersion)).toEqual([1, 3]);
    const [a, , c] = await t.store.readStream('filter-1');
    expect((await t.store.readAll({ after: a!.position, until: c!.position - 1, streamId: 'filter-1' })).map((e) => e.type)).toEqual(['Beta']);
    const streamed: StoredEvent[] = [];
    for await (const event of t.store.streamAll({ streamId: 'filter-1' })) streamed.push(event);
    expect(streamed).toHaveLength(3);
  });

  it('runs with durable settings', async () => {
    if (kind === 'sqlite') {
      // The reader connection shares the file's WAL mode; synchronous is per connection, set FULL (2) on both.
      expect(await t.db.query<{ journal_mode: string }>('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await t.db.query<{ synchronous: number }>('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
    } else {
      const [row] = await t.db.query<{ v: number | string }>('SELECT @@innodb_flush_log_at_trx_commit AS v');
      expect(Number(row!.v)).toBe(1);
      const [engine] = await t.db.query<{ ENGINE: string }>(
        "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events'",
      );
      expect(engine!.ENGINE).toBe('InnoDB');
    }
  });

  it('keeps every acknowledged event across a close and reopen', async () => {
    const acknowledged = await t.store.append(one('reopen-1', { kept: true }));
    const other = await t.another();
    expect((await other.store.readStream('reopen-1')).map((e) => e.eventId)).toEqual(acknowledged.events.map((e) => e.eventId));
  });
});

async function assertGapFree(t: TestThrds): Promise<void> {
  const events = await t.store.readAll({ limit: 1_000_000 });
  expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i + 1));
}
