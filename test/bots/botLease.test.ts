/**
 * A bot's lease (src/bots/botLease.ts) and checkpoint on a real database:
 * one holder at a time however many race for it, renewed by its holder,
 * taken over once it has expired, given back at once by a clean stop; a
 * checkpoint that only moves forward.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readCheckpoint, saveCheckpoint } from '../../src/bots/botCheckpoint.ts';
import { holdsLease, leaseOf, releaseLease, takeLease } from '../../src/bots/botLease.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';

const kinds = await storeKinds();
const botId = 'e0000000-0000-4000-8000-00000000000e';
const LEASE = 15_000;

describe.each(kinds)('bot leases on %s', (kind) => {
  let t: TestThrds | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('of many instances that race for a free lease, exactly one gets it', async () => {
    t = await openTestThrds(kind);
    const others = await Promise.all([t.another(), t.another(), t.another()]);
    const dbs = [t.db, ...others.map((o) => o.db)];
    const won = await Promise.all(dbs.flatMap((db, i) => [0, 1].map((j) => takeLease(db, { botId, holder: `instance-${i}-${j}`, now: 1000, leaseMs: LEASE }))));
    expect(won.filter(Boolean)).toHaveLength(1);
    const holder = (await leaseOf(t.db, botId))?.holder;
    expect(won.indexOf(true)).toBe(Number(holder?.split('-')[1]) * 2 + Number(holder?.split('-')[2]));
  });

  it('its holder renews it; nobody else takes it before it expires', async () => {
    t = await openTestThrds(kind);
    expect(await takeLease(t.db, { botId, holder: 'a', now: 1000, leaseMs: LEASE })).toBe(true);
    expect(await takeLease(t.db, { botId, holder: 'b', now: 1000 + LEASE - 1, leaseMs: LEASE })).toBe(false);
    expect(await takeLease(t.db, { botId, holder: 'a', now: 6000, leaseMs: LEASE })).toBe(true);
    // Renewed at 6 s: still a's at 20 s, when the first lease would have expired.
    expect(await takeLease(t.db, { botId, holder: 'b', now: 20_000, leaseMs: LEASE })).toBe(false);
    expect(await holdsLease(t.db, { botId, holder: 'a', now: 20_000 })).toBe(true);
    expect(await leaseOf(t.db, botId)).toEqual({ holder: 'a', expiresAt: 6000 + LEASE });
  });

  it('a renewal at the same instant as the last one still holds (MySQL reports no row changed)', async () => {
    t = await openTestThrds(kind);
    expect(await takeLease(t.db, { botId, holder: 'a', now: 1000, leaseMs: LEASE })).toBe(true);
    expect(await takeLease(t.db, { botId, holder: 'a', now: 1000, leaseMs: LEASE })).toBe(true);
  });

  it('an expired lease is taken over, and its old holder no longer holds it', async () => {
    t = await openTestThrds(kind);
    await takeLease(t.db, { botId, holder: 'a', now: 1000, leaseMs: LEASE });
    expect(await takeLease(t.db, { botId, holder: 'b', now: 1000 + LEASE + 1, leaseMs: LEASE })).toBe(true);
    expect(await holdsLease(t.db, { botId, holder: 'a', now: 1000 + LEASE + 1 })).toBe(false);
    expect(await takeLease(t.db, { botId, holder: 'a', now: 1000 + LEASE + 2, leaseMs: LEASE })).toBe(false);
  });

  it('a released lease is free at once, and only its holder can release it', async () => {
    t = await openTestThrds(kind);
    await takeLease(t.db, { botId, holder: 'a', now: 1000, leaseMs: LEASE });
    await releaseLease(t.db, { botId, holder: 'b' });
    expect(await takeLease(t.db, { botId, holder: 'b', now: 1001, leaseMs: LEASE })).toBe(false);
    await releaseLease(t.db, { botId, holder: 'a' });
    expect(await takeLease(t.db, { botId, holder: 'b', now: 1002, leaseMs: LEASE })).toBe(true);
  });

  it('a checkpoint starts absent and only ever moves forward', async () => {
    t = await openTestThrds(kind);
    expect(await readCheckpoint(t.db, botId)).toBeNull();
    await saveCheckpoint(t.db, botId, 10, 1);
    await saveCheckpoint(t.db, botId, 25, 2);
    await saveCheckpoint(t.db, botId, 12, 3);
    expect(await readCheckpoint(t.db, botId)).toBe(25);
  });
});
