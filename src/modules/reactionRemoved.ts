/** ReactionRemoved: a user takes back their reaction. */
import { defineEvent } from './eventModule.ts';

export type ReactionRemovedData = { readonly messageId: string; readonly threadId: string; readonly emoji: string };

export const reactionRemoved = defineEvent<ReactionRemovedData>()({
  type: 'ReactionRemoved',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {},
});
