/** UserRegistered: its step in the users read model, as given/when/then (the registration rules are tested in test/accounts). */
import { describe, expect, it } from 'vitest';
import { evolveUsers } from '../../src/projections/usersProjection.ts';
import { recorded } from './given.ts';

describe('the users read model, evolved by UserRegistered', () => {
  it('given a UserRegistered, when evolved, then one user row holds the username and display name, registered when recorded', () => {
    const userId = 'a1000000-0000-4000-8000-00000000000a';
    const event = recorded('UserRegistered', { userId, username: 'ana', displayName: 'Ana' }, { actorId: userId });
    expect(evolveUsers([event])).toEqual([{ id: userId, username: 'ana', displayName: 'Ana', registeredAt: event.recordedAt, position: event.position }]);
  });

  it('given events of other types, when evolved, then no user rows come of them', () => {
    expect(evolveUsers([recorded('ThreadCreated', { threadId: 'x', title: 'T' }), recorded('SomethingNew', { userId: 'u' })])).toEqual([]);
  });
});
