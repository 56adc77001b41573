/** UserRegistered: its step in the users read model and its upcaster, as given/when/then (the registration rules, first admin included, are tested in test/accounts). */
import { describe, expect, it } from 'vitest';
import { upcast } from '../../src/modules/index.ts';
import { evolveUsers } from '../../src/projections/usersProjection.ts';
import { recorded } from './given.ts';

const userId = 'a1000000-0000-4000-8000-00000000000a';

describe('the users read model, evolved by UserRegistered', () => {
  it('given a UserRegistered, when evolved, then one user row holds the username, display name and role, registered when recorded, not suspended', () => {
    const event = recorded('UserRegistered', { userId, username: 'ana', displayName: 'Ana', role: 'ADMIN' }, { actorId: userId, schemaVersion: 2 });
    expect(evolveUsers([event])).toEqual([
      { id: userId, username: 'ana', displayName: 'Ana', registeredAt: event.recordedAt, position: event.position, role: 'ADMIN', suspendedUntil: null, isBot: false },
    ]);
  });

  it('given a UserRegistered stored at v1 (before roles), when upcast and evolved, then the user is a MEMBER', () => {
    const stored = recorded('UserRegistered', { userId, username: 'old', displayName: 'Old' }, { actorId: userId, schemaVersion: 1 });
    const current = upcast(stored);
    expect(current).toMatchObject({ schemaVersion: 2, data: { userId, username: 'old', displayName: 'Old', role: 'MEMBER' } });
    expect(evolveUsers([current])[0]).toMatchObject({ role: 'MEMBER', suspendedUntil: null });
  });

  it('given events of other types, when evolved, then no user rows come of them', () => {
    expect(evolveUsers([recorded('ThreadCreated', { threadId: 'x', title: 'T' }), recorded('SomethingNew', { userId: 'u' })])).toEqual([]);
  });
});
