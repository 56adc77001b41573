/** ThreadLockChanged: a moderator locks a thread (no new posts, reactions or edits) or unlocks it. */
import { defineEvent } from './eventModule.ts';

export type ThreadLockChangedData = { readonly threadId: string; readonly locked: boolean };

export const threadLockChanged = defineEvent<ThreadLockChangedData>()({
  type: 'ThreadLockChanged',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {},
});
