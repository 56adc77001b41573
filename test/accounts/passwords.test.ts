/** Password hashes: today's parameters, old hashes still verifying, the dummy hash's cost, and the bound on hashes at once. */
import { describe, expect, it } from 'vitest';
import { HashingSlots } from '../../src/accounts/hashingSlots.ts';
import { DUMMY_HASH, hashPassword, needsRehash, SCRYPT, verifyPassword } from '../../src/accounts/passwords.ts';
import { oldHash } from './oldHash.ts';

describe('password hashes', () => {
  it('given a password, when hashed, then the hash names OWASP-equivalent parameters (N=2^14 r=8 p=5) and verifies only that password', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$16384\$8\$5\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('given a hash of the previous parameters (N=2^14 r=8 p=1), when verified, then it still works and asks to be rehashed', async () => {
    const hash = oldHash('correct horse');
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('wrong horse', hash)).toBe(false);
    expect(needsRehash(hash)).toBe(true);
  });

  it('given the dummy hash for unknown users, when inspected, then it costs what a real hash costs and matches nothing', async () => {
    expect(DUMMY_HASH.split('$').slice(0, 4)).toEqual(['scrypt', String(SCRYPT.N), String(SCRYPT.r), String(SCRYPT.p)]);
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    expect(await verifyPassword('', DUMMY_HASH)).toBe(false);
    expect(await verifyPassword('correct horse', DUMMY_HASH)).toBe(false);
  });

  it('given a stored hash that is malformed or names absurd parameters, when verified, then it is false without trying', async () => {
    for (const stored of ['', 'bcrypt$x', 'scrypt$16384$8$1$$', 'scrypt$1073741824$8$1$AAAA$AAAA', 'scrypt$1000$8$1$AAAA$AAAA', 'scrypt$16384$8$1$AAAA$AAAA$extra']) {
      expect(await verifyPassword('x', stored), stored).toBe(false);
    }
  });

  it('given the same password decomposed and composed, when verified, then both match (NFKC before hashing)', async () => {
    const hash = await hashPassword('caf\u00e9 au lait');
    expect(await verifyPassword('cafe\u0301 au lait', hash)).toBe(true);
  });
});

describe('hashing slots', () => {
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };

  it('given 2 slots and 6 jobs, when they run, then never more than 2 run at once and all finish in arrival order', async () => {
    const slots = new HashingSlots(2, 10);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 6 }, deferred);
    const jobs = gates.map((gate, i) =>
      slots.run(async () => {
        started.push(i);
        running += 1;
        most = Math.max(most, running);
        await gate.promise;
        running -= 1;
        return i;
      }),
    );
    expect(slots.stats).toMatchObject({ running: 2, waiting: 4 });
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(slots.stats).toMatchObject({ running: 0, waiting: 0 });
  });

  it('given a full queue, when one more job comes, then it is refused with RATE_LIMITED at once and the others still run', async () => {
    const slots = new HashingSlots(1, 1);
    const gate = deferred();
    const first = slots.run(() => gate.promise);
    const second = slots.run(async () => 'second');
    await expect(slots.run(async () => 'third')).rejects.toMatchObject({ code: 'RATE_LIMITED', extensions: { retryAfter: 1 } });
    gate.resolve();
    await first;
    expect(await second).toBe('second');
  });

  it('given a job that fails, when it ends, then its slot is handed on', async () => {
    const slots = new HashingSlots(1, 5);
    const failing = slots.run(async () => {
      throw new Error('boom');
    });
    const next = slots.run(async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('next');
    expect(slots.stats).toMatchObject({ running: 0, waiting: 0 });
  });
});
