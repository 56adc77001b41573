/**
 * UserRegistered: someone signed up. The decision (and the credentials
 * written with it) is in accounts/accounts.ts. v2 holds the role they start
 * with: ADMIN for the first account of an empty store, MEMBER otherwise.
 */
import { defineEvent } from './eventModule.ts';
import type { Role } from './userRoleChanged.ts';

export type UserRegisteredData = { readonly userId: string; readonly username: string; readonly displayName: string; readonly role: Role };

export const userRegistered = defineEvent<UserRegisteredData>()({
  type: 'UserRegistered',
  schemaVersion: 2,
  upcasters: {
    // v1 had no roles: everyone registered before them is a member (`thrds admin grant` names an admin).
    1: (data) => ({ role: 'MEMBER', ...data }),
  },
  stream: 'user',
  evolve: {
    users: (changes, { data, recordedAt, position }) =>
      changes.register({
        id: data.userId,
        username: data.username,
        displayName: data.displayName,
        registeredAt: recordedAt,
        position,
        role: data.role,
        suspendedUntil: null,
        isBot: false,
      }),
  },
});
