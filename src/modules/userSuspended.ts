/** UserSuspended: a moderator stops a user writing until a time (null: until further notice; a time passed lifts it). */
import { defineEvent } from './eventModule.ts';

export type UserSuspendedData = { readonly userId: string; readonly until: number | null };

export const userSuspended = defineEvent<UserSuspendedData>()({
  type: 'UserSuspended',
  schemaVersion: 1,
  upcasters: {},
  stream: 'user',
  evolve: {},
});
