/** UserRegistered: someone signed up. The decision (and the credentials written with it) is in accounts/accounts.ts. */
import { defineEvent } from './eventModule.ts';

export type UserRegisteredData = { readonly userId: string; readonly username: string; readonly displayName: string };

export const userRegistered = defineEvent<UserRegisteredData>()({
  type: 'UserRegistered',
  schemaVersion: 1,
  upcasters: {},
  stream: 'user',
  evolve: {
    users: (changes, { data, recordedAt, position }) =>
      changes.register({ id: data.userId, username: data.username, displayName: data.displayName, registeredAt: recordedAt, position }),
  },
});
