/** MessageDeleted: the author or a moderator takes a message back; its text is erased from the log in the same transaction. */
import { defineEvent } from './eventModule.ts';

export type MessageDeletedData = {
  readonly messageId: string;
  readonly threadId: string;
  readonly reason: string | null;
  /** The erasure key (messageContentKey) whose content the store erases with this event. */
  readonly erases: string;
};

export const messageDeleted = defineEvent<MessageDeletedData>()({
  type: 'MessageDeleted',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {},
});
