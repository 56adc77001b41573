/** UserRoleChanged: who may change roles, the last admin kept, and its step in the users read model, as given/when/then. */
import { describe, expect, it } from 'vitest';
import { adminsKey, decideSetUserRole, type SetUserRoleFacts } from '../../src/modules/userRoleChanged.ts';
import { evolveUserChanges } from '../../src/projections/usersProjection.ts';
import { ana, bob, recorded } from './given.ts';

const carol = 'c1000000-0000-4000-8000-00000000000c';

const facts = (target: Partial<NonNullable<SetUserRoleFacts['target']>> | null = {}, admins: SetUserRoleFacts['admins'] = [{ userId: ana.userId, version: 1 }]): SetUserRoleFacts => ({
  target: target === null ? null : { role: 'MEMBER', suspendedUntil: null, version: 3, ...target },
  admins,
});
const byAdmin = { actor: ana, role: 'ADMIN' } as const;

describe('decideSetUserRole', () => {
  it('given an admin, when they make a member a moderator, then one UserRoleChanged carries the new and the previous role, expecting the version read, with the admin as actor', () => {
    const append = decideSetUserRole({ userId: carol, role: 'MODERATOR' }, facts(), byAdmin);
    expect(append).toMatchObject({
      streamId: `user-${carol}`,
      expectedVersion: 3,
      events: [{ type: 'UserRoleChanged', schemaVersion: 1, data: { userId: carol, role: 'MODERATOR', previousRole: 'MEMBER' } }],
      metadata: { actorId: ana.userId, correlationId: ana.correlationId },
    });
    expect(append?.idempotencyKey).toBeUndefined();
  });

  it('given a moderator or a member, when they change anyone\'s role, then it is FORBIDDEN', () => {
    for (const role of ['MEMBER', 'MODERATOR'] as const) {
      expect(() => decideSetUserRole({ userId: carol, role: 'ADMIN' }, facts(), { actor: bob, role })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    }
  });

  it('given no such user, then it is NOT_FOUND; given a malformed id or an unknown role, then BAD_USER_INPUT', () => {
    expect(() => decideSetUserRole({ userId: carol, role: 'ADMIN' }, facts(null), byAdmin)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decideSetUserRole({ userId: 'carol', role: 'ADMIN' }, facts(), byAdmin)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => decideSetUserRole({ userId: carol, role: 'OWNER' as 'ADMIN' }, facts(), byAdmin)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('given the user already has the role, then nothing is appended', () => {
    expect(decideSetUserRole({ userId: carol, role: 'MEMBER' }, facts(), byAdmin)).toBeNull();
  });

  it('given the only admin, when they demote themselves, then it is FORBIDDEN and the store keeps its admin', () => {
    expect(() => decideSetUserRole({ userId: ana.userId, role: 'MEMBER' }, facts({ role: 'ADMIN' }), byAdmin)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining('last admin') }),
    );
  });

  it('given two admins, when one is demoted, then the append claims the key of the admin set it was decided on', () => {
    const admins = [
      { userId: ana.userId, version: 1 },
      { userId: bob.userId, version: 4 },
    ];
    const append = decideSetUserRole({ userId: bob.userId, role: 'MEMBER' }, facts({ role: 'ADMIN', version: 4 }, admins), byAdmin);
    expect(append).toMatchObject({ events: [{ data: { role: 'MEMBER', previousRole: 'ADMIN' } }], ...adminsKey(admins, { userId: bob.userId, role: 'MEMBER' }) });
  });

  it('given two admins demoting each other on the same admin set, then both claim one key with different requests (the second is a CONFLICT, decided again)', () => {
    const admins = [
      { userId: ana.userId, version: 1 },
      { userId: bob.userId, version: 4 },
    ];
    const anaDemotesBob = decideSetUserRole({ userId: bob.userId, role: 'MEMBER' }, facts({ role: 'ADMIN', version: 4 }, admins), byAdmin);
    const bobDemotesAna = decideSetUserRole({ userId: ana.userId, role: 'MODERATOR' }, facts({ role: 'ADMIN', version: 1 }, admins), { actor: bob, role: 'ADMIN' });
    expect(anaDemotesBob?.idempotencyKey).toMatch(/^admins:[0-9a-f]{64}$/);
    expect(bobDemotesAna?.idempotencyKey).toBe(anaDemotesBob?.idempotencyKey);
    expect(bobDemotesAna?.requestHash).not.toBe(anaDemotesBob?.requestHash);
    // Once ana's demotion of bob is in, the set is ana alone: decided again, bob's demotion of ana is refused.
    expect(() => decideSetUserRole({ userId: ana.userId, role: 'MODERATOR' }, facts({ role: 'ADMIN', version: 1 }, [{ userId: ana.userId, version: 1 }]), { actor: bob, role: 'ADMIN' })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });

  it('given an admin set, when a promotion to admin and a demotion are decided on it, then they claim one key (only one change can leave a state of the set, however stale the other)', () => {
    const admins = [
      { userId: ana.userId, version: 1 },
      { userId: bob.userId, version: 4 },
    ];
    const promotion = decideSetUserRole({ userId: carol, role: 'ADMIN' }, facts({}, admins), byAdmin);
    const demotion = decideSetUserRole({ userId: bob.userId, role: 'MEMBER' }, facts({ role: 'ADMIN', version: 4 }, admins), byAdmin);
    expect(promotion?.idempotencyKey).toBe(demotion?.idempotencyKey);
    expect(promotion?.requestHash).not.toBe(demotion?.requestHash);
  });

  it('given the same admins at other stream versions (someone was demoted and promoted again since), then the key differs', () => {
    const before = adminsKey([{ userId: ana.userId, version: 1 }, { userId: bob.userId, version: 4 }], { userId: bob.userId, role: 'MEMBER' });
    const after = adminsKey([{ userId: ana.userId, version: 1 }, { userId: bob.userId, version: 6 }], { userId: bob.userId, role: 'MEMBER' });
    expect(after.idempotencyKey).not.toBe(before.idempotencyKey);
  });

  it('given the CLI, when it grants a role, then the event has no actor and the CLI\'s correlation id, and no admin is needed', () => {
    const append = decideSetUserRole({ userId: carol, role: 'ADMIN' }, facts({}, []), { cli: { correlationId: 'cli:admin-grant:1' } });
    expect(append).toMatchObject({ metadata: { actorId: null, correlationId: 'cli:admin-grant:1', causationId: null }, events: [{ data: { role: 'ADMIN', previousRole: 'MEMBER' } }] });
  });
});

describe('the users read model, evolved by UserRoleChanged', () => {
  it('given a user registered in the same run, when their role changes twice, then the row is inserted with the last role', () => {
    const registered = recorded('UserRegistered', { userId: carol, username: 'carol', displayName: 'Carol', role: 'MEMBER' }, { schemaVersion: 2 });
    const changes = evolveUserChanges([
      registered,
      recorded('UserRoleChanged', { userId: carol, role: 'MODERATOR', previousRole: 'MEMBER' }),
      recorded('UserRoleChanged', { userId: carol, role: 'ADMIN', previousRole: 'MODERATOR' }),
    ]);
    expect(changes.registered).toEqual([expect.objectContaining({ id: carol, role: 'ADMIN', position: registered.position })]);
    expect(changes.patched.size).toBe(0);
  });

  it('given an existing user, when their role changes, then one patch sets the last role and nothing else', () => {
    const changes = evolveUserChanges([
      recorded('UserRoleChanged', { userId: carol, role: 'MODERATOR', previousRole: 'MEMBER' }),
      recorded('UserRoleChanged', { userId: carol, role: 'MEMBER', previousRole: 'MODERATOR' }),
    ]);
    expect(changes.patched.get(carol)).toEqual({ role: 'MEMBER' });
  });
});
