/** ReactionAdded: a user reacts to a message with an emoji (once per user, emoji and message). */
import { defineEvent } from './eventModule.ts';

export type ReactionAddedData = { readonly messageId: string; readonly threadId: string; readonly emoji: string };

export const reactionAdded = defineEvent<ReactionAddedData>()({
  type: 'ReactionAdded',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {},
});
