/**
 * The group committer's back-pressure and failure rules, on a commit
 * function of the test's own (the stores' real transactions are exercised
 * by the conformance suite and test/operations).
 */
import { describe, expect, it } from 'vitest';
import { ConcurrencyError, UnavailableError } from '../../src/errors.ts';
import { GroupCommitter } from '../../src/events/groupCommit.ts';

describe('group commit', () => {
  it('refuses at once, UNAVAILABLE queue_full, when the queue is full, and commits the rest', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const committer = new GroupCommitter<number, number>(
      async (batch) => {
        await gate;
        return batch.map((n) => n * 10);
      },
      { maxQueue: 3, maxBatch: 1 },
    );
    const first = committer.submit(1); // taken into the running group
    await new Promise((resolve) => setImmediate(resolve));
    const queued = [committer.submit(2), committer.submit(3), committer.submit(4)];
    const started = Date.now();
    const refused = await committer.submit(5).catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(50);
    expect(refused).toBeInstanceOf(UnavailableError);
    expect((refused as UnavailableError).reason).toBe('queue_full');
    expect((refused as UnavailableError).extensions).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    release();
    expect(await Promise.all([first, ...queued])).toEqual([10, 20, 30, 40]);
  });

  it('fails every member of a group that meets an outage, without retrying them one by one', async () => {
    const calls: number[][] = [];
    const committer = new GroupCommitter<number, number>(async (batch) => {
      calls.push([...batch]);
      throw new UnavailableError('The database is unreachable', 'database_unreachable');
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => committer.submit(n)));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as UnavailableError).code === 'UNAVAILABLE')).toBe(true);
    expect(calls).toEqual([[1, 2, 3, 4]]);
  });

  it('retries alone after a failure one request may cause, so only that request fails', async () => {
    const calls: number[][] = [];
    const committer = new GroupCommitter<number, number>(async (batch) => {
      calls.push([...batch]);
      if (batch.includes(3)) throw new ConcurrencyError('That already exists');
      return batch.map((n) => n);
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => committer.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it('gives a group the earliest deadline of its members and refuses, without starting, members already past theirs', async () => {
    const deadlines: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const committer = new GroupCommitter<number, number>(
      async (batch, deadline) => {
        deadlines.push(deadline);
        if (batch.includes(1)) await gate;
        return batch.map((n) => n);
      },
      { timeoutMs: 100 },
    );
    const before = Date.now();
    const first = committer.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const late = committer.submit(2);
    await new Promise((resolve) => setTimeout(resolve, 150)); // 2 waits past its 100 ms behind the stalled group
    release();
    expect(await first).toBe(1);
    const refused = await late.catch((error: unknown) => error);
    expect((refused as UnavailableError).reason).toBe('database_timeout');
    expect(deadlines).toHaveLength(1);
    expect(deadlines[0]! - before).toBeLessThanOrEqual(110);
  });

  it('refuses new requests UNAVAILABLE shutting_down once closed, and still commits what it took', async () => {
    const committer = new GroupCommitter<number, number>(async (batch) => batch.map((n) => n));
    const taken = committer.submit(1);
    committer.close();
    const refused = await committer.submit(2).catch((error: unknown) => error);
    expect((refused as UnavailableError).reason).toBe('shutting_down');
    expect(await taken).toBe(1);
    await committer.drain();
  });
});
