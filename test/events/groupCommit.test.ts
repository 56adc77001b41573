/**
 * The group committer's back-pressure and failure rules, on a commit
 * function of the test's own (the stores' real transactions are exercised
 * by the conformance suite and test/db/unavailable.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ConcurrencyError, UnavailableError } from '../../src/errors.ts';
import { GroupCommitter } from '../../src/events/groupCommit.ts';
import { waitFor } from '../support/waitFor.ts';

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

  it('given a group under way, when requests arrive meanwhile, then they wait and go together into the next group', async () => {
    const { committer, groups, releaseNext } = gatedCommitter();
    const first = committer.submit(1);
    await nextTurn();
    const meanwhile = [2, 3, 4].map((n) => committer.submit(n));
    expect(groups).toEqual([[1]]);
    releaseNext();
    await first;
    await waitForGroups(groups, 2);
    releaseNext();
    expect(await Promise.all(meanwhile)).toEqual([2, 3, 4]);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });

  it('given more waiting requests than maxBatch, when they are committed, then groups hold at most maxBatch, in arrival order', async () => {
    const groups: number[][] = [];
    const committer = new GroupCommitter<number, number>(
      async (batch) => {
        groups.push([...batch]);
        return [...batch];
      },
      { maxBatch: 2 },
    );
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => committer.submit(n)))).toEqual([1, 2, 3, 4, 5]);
    expect(groups).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('given a commit that refuses one request with an Error outcome, then only that request fails and the group is not retried', async () => {
    const groups: number[][] = [];
    const committer = new GroupCommitter<number, number>(async (batch) => {
      groups.push([...batch]);
      return batch.map((n) => (n === 2 ? new ConcurrencyError('Stream is at version 3, expected 1') : n));
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => committer.submit(n)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as ConcurrencyError).code))).toEqual([1, 'CONFLICT', 3]);
    expect(groups).toEqual([[1, 2, 3]]);
  });

  it('given a commit that returns fewer outcomes than requests, then the request without one fails instead of hanging', async () => {
    const committer = new GroupCommitter<number, number>(async (batch) => batch.slice(0, 1));
    const results = await Promise.allSettled([1, 2].map((n) => committer.submit(n)));
    expect(results[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { message: 'group commit returned no outcome' } });
  });

  it('given a failed group retried alone, when a retry meets an outage, then the members not yet retried fail with it, untried', async () => {
    const calls: number[][] = [];
    const outage = new UnavailableError('The database is unreachable', 'database_unreachable');
    const committer = new GroupCommitter<number, number>(async (batch) => {
      calls.push([...batch]);
      if (batch.length > 1) throw new ConcurrencyError('That already exists');
      if (batch[0] === 2) throw outage;
      return [...batch];
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => committer.submit(n)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual([1, outage, outage, outage]);
    expect(calls).toEqual([[1, 2, 3, 4], [1], [2]]);
  });

  it('given a group of one that fails for its own reason, then it fails once, with no retry', async () => {
    const calls: number[][] = [];
    const committer = new GroupCommitter<number, number>(async (batch) => {
      calls.push([...batch]);
      throw new ConcurrencyError('That already exists');
    });
    await expect(committer.submit(1)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(calls).toEqual([[1]]);
  });

  it('given requests in flight, when drained, then drain resolves only after every one has settled; with nothing in flight, at once', async () => {
    await new GroupCommitter<number, number>(async (batch) => [...batch]).drain();
    const { committer, groups, releaseNext } = gatedCommitter();
    const settled: number[] = [];
    for (const n of [1, 2]) void committer.submit(n).then((r) => settled.push(r));
    await nextTurn();
    const second = committer.submit(3).then((r) => settled.push(r));
    let drained = false;
    const drain = committer.drain().then(() => (drained = true));
    releaseNext();
    await waitForGroups(groups, 2);
    expect(drained).toBe(false);
    releaseNext();
    await Promise.all([drain, second]);
    expect(settled.sort()).toEqual([1, 2, 3]);
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

/** A committer whose groups each wait for `releaseNext()`; `groups` lists what each group held. */
function gatedCommitter() {
  const groups: number[][] = [];
  const gates: Array<() => void> = [];
  const committer = new GroupCommitter<number, number>(async (batch) => {
    groups.push([...batch]);
    await new Promise<void>((resolve) => gates.push(resolve));
    return [...batch];
  });
  return { committer, groups, releaseNext: () => gates.shift()?.() };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Groups start on a later turn of the event loop than the one that made them due. */
async function waitForGroups(groups: readonly unknown[], count: number): Promise<void> {
  await waitFor(() => groups.length >= count, { what: `group ${count} to start`, intervalMs: 1, timeoutMs: 2000 });
}
