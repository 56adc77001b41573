/**
 * MessageEdited: the author replaces a message's text; the log keeps every
 * version until the message is deleted. The message keeps its format, and
 * the new text's `:shortcode:`s become emoji by that format's rules, as
 * when it was posted (input/shortcodes.ts).
 */
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { validate } from '../input/limits.ts';
import { withEmoji } from '../input/shortcodes.ts';
// Types only from the projections: they dispatch to the modules (index.ts), so a runtime import would be a cycle.
import type { MessageRow } from '../projections/messagesProjection.ts';
import { messageFacts } from '../projections/messagesQueries.ts';
import { type Actor, type CommandDeps, idempotency, metadataFor } from './commandDeps.ts';
import { defineEvent, messageContentKey, newEvent } from './eventModule.ts';
import { assertMayWrite } from './permissions.ts';

export type MessageEditedData = { readonly messageId: string; readonly threadId: string; readonly body: string };

export const messageEdited = defineEvent<MessageEditedData>()({
  type: 'MessageEdited',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {
    // An erased edit reads as '': its message is deleted, and the deletion (later in the log) makes it a tombstone.
    messages: (changes, { data, recordedAt }) => changes.edit(data.messageId, data.body, recordedAt),
    // Every event of a thread moves its position: threadEvents(after: thread.position) misses nothing.
    threads: (changes, { data, position }) => changes.change(data.threadId, { position }),
    // Derived again from the new text ('' once erased: nobody).
    mentions: (changes, { data, position }) => changes.edit(data.messageId, position, data.body),
    // The index holds the current text only: the old words are no longer found.
    search: (changes, { data }) => changes.edit(data.messageId, data.body),
  },
  erasable: { fields: ['body'], key: (data) => messageContentKey(data.messageId) },
});

/** The message as it is right after an edit, from the row it changed (read-model or held) and the edit. */
export function editedMessage(row: MessageRow, edit: { readonly body: string; readonly recordedAt: number; readonly erased?: true }): MessageRow {
  // Deleted since (its text erased): the tombstone is what there is.
  if (row.deletedAt !== null || edit.erased) return row;
  return { ...row, body: edit.body, editedAt: edit.recordedAt };
}

export interface EditMessageInput {
  readonly messageId: string;
  readonly body: string;
  readonly idempotencyKey?: string | null | undefined;
}

export interface EditMessageFacts {
  /** The message as the read model holds it; null when there is none. */
  readonly message: MessageRow | null;
}

/** The new text as it is stored: shortcodes converted by the message's format (plain when there is no message), then the posting rules. */
export function editedBody(body: string, message: MessageRow | null): string {
  return validate.body(withEmoji(body, message?.format === 'markdown' ? 'markdown' : 'plain'));
}

/**
 * Pure: only the author edits, a deleted message is NOT_FOUND (as it is to
 * every other command), the body follows the posting rules. null: the text
 * is already that, and nothing is appended (no empty revision in the log).
 */
export function decideEditMessage(input: EditMessageInput, facts: EditMessageFacts, actor: Actor): AppendRequest | null {
  const messageId = validate.uuid(input.messageId, 'messageId');
  const body = editedBody(input.body, facts.message);
  const key = validate.idempotencyKey(input.idempotencyKey);
  const { message } = facts;
  if (!message || message.deletedAt !== null) throw new NotFoundError(`No message ${messageId}`, { messageId });
  if (message.authorId !== actor.userId) throw new ForbiddenError('Only the author of a message may edit it');
  if (message.body === body) return null;
  return {
    streamId: streamOf.thread(message.threadId),
    events: [newEvent(messageEdited, { messageId, threadId: message.threadId, body })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: 'stream_exists',
    ...idempotency(actor, 'editMessage', key, { messageId, body }),
  };
}

export interface EditMessageResult {
  readonly message: MessageRow;
  /** The MessageEdited's position; when nothing changed, that of the event that wrote the current text. */
  readonly position: number;
}

export async function editMessage(deps: CommandDeps, actor: Actor, input: EditMessageInput): Promise<EditMessageResult> {
  await deps.rateLimits.consume('postsPerUser', actor.userId);
  const messageId = validate.uuid(input.messageId, 'messageId');
  // Read before the text is checked: how its shortcodes convert depends on the message's format.
  const { message, textPosition } = await messageFacts(deps.db, messageId);
  const body = editedBody(input.body, message);
  await assertMayWrite(deps, actor, message ? { threadId: message.threadId } : {});
  const request = decideEditMessage(input, { message }, actor);
  if (!message || !request) return { message: orNotFound(message, messageId), position: textPosition };
  // A deletion that commits between the read and this append erases the key first: the store refuses the edit, NOT_FOUND.
  const result = await deps.store.append(request);
  const [event] = result.events;
  if (event?.type !== messageEdited.type) throw new Error('The append stored no MessageEdited');
  // A retried idempotency key answers with the original event, whose body the key's request hash binds to this one.
  return { message: editedMessage(message, { body, recordedAt: event.recordedAt }), position: result.lastPosition };
}

function orNotFound(message: MessageRow | null, messageId: string): MessageRow {
  if (!message) throw new NotFoundError(`No message ${messageId}`, { messageId });
  return message;
}
