/** MessageEdited: the author replaces a message's text; the log keeps every version until the message is deleted. */
import { defineEvent, messageContentKey } from './eventModule.ts';

export type MessageEditedData = { readonly messageId: string; readonly threadId: string; readonly body: string };

export const messageEdited = defineEvent<MessageEditedData>()({
  type: 'MessageEdited',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {},
  erasable: { fields: ['body'], key: (data) => messageContentKey(data.messageId) },
});
