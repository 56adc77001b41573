/**
 * The last admin is kept even when two admins demote each other at the same
 * moment, on every store: a barrier in front of the real event store holds
 * both first appends until both were decided on the same two admins, so the
 * race is not left to timing. One demotion goes in; the other, decided
 * again on what is left, is FORBIDDEN.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { changeRole } from '../../src/modules/userRoleChanged.ts';
import { barrierStore } from '../support/barrierStore.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { ana, bob } from './given.ts';

const kinds = await storeKinds();


describe.each(kinds)('changeRole on %s', (kind) => {
  let t: TestThrds | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  async function twoAdmins(): Promise<TestThrds> {
    t = await openTestThrds(kind);
    for (const [user, name] of [
      [ana, 'ana'],
      [bob, 'bob'],
    ] as const) {
      await t.store.append({
        streamId: `user-${user.userId}`,
        events: [{ type: 'UserRegistered', schemaVersion: 2, data: { userId: user.userId, username: name, displayName: name, role: 'ADMIN' } }],
        metadata: { actorId: user.userId, correlationId: 'test', causationId: null },
        expectedVersion: 'no_stream',
      });
    }
    return t;
  }

  it('given two admins demoting each other at once, then exactly one demotion goes in and one admin is left', async () => {
    const t = await twoAdmins();
    const deps = { db: t.db, store: barrierStore(t.store, 2) };
    const results = await Promise.allSettled([
      changeRole(deps, { userId: bob.userId, role: 'MEMBER' }, { actor: ana, role: 'ADMIN' }),
      changeRole(deps, { userId: ana.userId, role: 'MEMBER' }, { actor: bob, role: 'ADMIN' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [refused] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.db.query("SELECT id FROM users WHERE role = 'ADMIN'")).toHaveLength(1);
    expect(await t.store.readAll({ types: ['UserRoleChanged'] })).toHaveLength(1);
  });

  it('given the CLI as the one changing, then the event has no actor and a cli: correlation id, and a second grant of the same role writes nothing', async () => {
    const t = await twoAdmins();
    const deps = { db: t.db, store: t.store };
    const by = { cli: { correlationId: 'cli:admin-grant:test' } };
    expect(await changeRole(deps, { userId: bob.userId, role: 'MODERATOR' }, by)).toMatchObject({ previousRole: 'ADMIN', role: 'MODERATOR', position: 3 });
    expect(await changeRole(deps, { userId: bob.userId, role: 'MODERATOR' }, by)).toEqual({ previousRole: 'MODERATOR', role: 'MODERATOR', position: null });
    const [event] = await t.store.readAll({ types: ['UserRoleChanged'] });
    expect(event).toMatchObject({ metadata: { actorId: null, correlationId: 'cli:admin-grant:test' }, data: { userId: bob.userId, role: 'MODERATOR', previousRole: 'ADMIN' } });
  });
});
