/** UserRoleChanged: an admin (or the CLI) gives a user another role. */
import { defineEvent } from './eventModule.ts';

export type Role = 'MEMBER' | 'MODERATOR' | 'ADMIN';

export type UserRoleChangedData = { readonly userId: string; readonly role: Role; readonly previousRole: Role };

export const userRoleChanged = defineEvent<UserRoleChangedData>()({
  type: 'UserRoleChanged',
  schemaVersion: 1,
  upcasters: {},
  stream: 'user',
  evolve: {},
});
