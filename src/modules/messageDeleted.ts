/** MessageDeleted: the author or a moderator takes a message back; its text is erased from the log in the same transaction. */
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { LIMITS, validate } from '../input/limits.ts';
import { codePoints, hasLoneSurrogate } from '../input/textRules.ts';
// Types only from the projections: they dispatch to the modules (index.ts), so a runtime import would be a cycle.
import type { MessageRow } from '../projections/messagesProjection.ts';
import { messagesByIds } from '../projections/messagesQueries.ts';
import { attachmentsOfMessage, eraseAttachments } from '../attachments/eraseFiles.ts';
import { type Actor, type CommandDeps, metadataFor } from './commandDeps.ts';
import { defineEvent, messageContentKey, newEvent } from './eventModule.ts';
import { assertMayModerate, isModerator } from './permissions.ts';
import type { Role } from './userRoleChanged.ts';

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
  evolve: {
    messages: (changes, { data, recordedAt }) => changes.delete(data.messageId, recordedAt),
    // A tombstone has no reactions.
    reactions: (changes, { data }) => changes.clear(data.messageId),
    // Nor mentions: a deleted message is no longer anyone's unread mention.
    mentions: (changes, { data }) => changes.clear(data.messageId),
    // Gone from search in the deletion's own transaction.
    search: (changes, { data }) => changes.remove(data.messageId),
    // Nor attachments: their rows go now, their bytes after the append (deleteMessage).
    attachments: (changes, { data }) => changes.clear(data.messageId),
    // Every event of a thread moves its position: threadEvents(after: thread.position) misses nothing.
    threads: (changes, { data, position }) => changes.change(data.threadId, { position }),
  },
});

/** The message as a tombstone, as the deletion leaves it. */
export function tombstoneOf(row: MessageRow, deletedAt: number): MessageRow {
  return { ...row, body: '', deletedAt: row.deletedAt ?? deletedAt, revisions: [] };
}

export interface DeleteMessageInput {
  readonly messageId: string;
  readonly reason?: string | null | undefined;
}

export interface DeleteMessageFacts {
  /** The message as the read model holds it; null when there is none. */
  readonly message: MessageRow | null;
  /** The actor's role (asked only when the actor is not the author). */
  readonly role: Role;
}

/** C0, DEL, C1, and bidi overrides and isolates: a reason is one line shown beside a tombstone. */
const REASON_REFUSED = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/**
 * A deletion's reason: optional, trimmed, at most LIMITS.deleteReason.max
 * code points of one line of text; blank is no reason (null).
 */
export function deleteReason(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (hasLoneSurrogate(value) || REASON_REFUSED.test(value)) {
    throw new ValidationError('reason must be one line of text, without control or bidirectional override characters', { field: 'reason' });
  }
  const reason = value.normalize('NFC').trim();
  const { max } = LIMITS.deleteReason;
  const length = codePoints(reason);
  if (length > max) throw new ValidationError(`reason must be at most ${max} characters after trimming (got ${length})`, { field: 'reason', max, length });
  return reason === '' ? null : reason;
}

/** Pure: the author or a moderator (or admin) deletes; a deleted or unknown message is NOT_FOUND. */
export function decideDeleteMessage(input: DeleteMessageInput, facts: DeleteMessageFacts, actor: Actor): AppendRequest {
  const messageId = validate.uuid(input.messageId, 'messageId');
  const reason = deleteReason(input.reason);
  const { message } = facts;
  if (!message || message.deletedAt !== null) throw new NotFoundError(`No message ${messageId}`, { messageId });
  if (message.authorId !== actor.userId && !isModerator(facts.role)) throw new ForbiddenError('Only the author of a message or a moderator may delete it');
  return {
    streamId: streamOf.thread(message.threadId),
    events: [newEvent(messageDeleted, { messageId, threadId: message.threadId, reason, erases: messageContentKey(messageId) })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: 'stream_exists',
  };
}

export async function deleteMessage(deps: CommandDeps, actor: Actor, input: DeleteMessageInput): Promise<{ messageId: string; position: number }> {
  await deps.rateLimits.consume('postsPerUser', actor.userId);
  const messageId = validate.uuid(input.messageId, 'messageId');
  deleteReason(input.reason);
  // No thread scope: a locked thread still lets a message be taken back (and moderators clean up), a suspension does not.
  // One read gives the actor's standing and role; the role matters only for another's message.
  const [role, [message = null], attachments] = await Promise.all([assertMayModerate(deps, actor), messagesByIds(deps.db, [messageId]), attachmentsOfMessage(deps.db, messageId)]);
  // Two deletions racing: the store erases the key once and refuses the second, NOT_FOUND.
  const result = await deps.store.append(decideDeleteMessage(input, { message, role }, actor));
  // The log and the read model no longer hold them: now their bytes and uploads rows (a crash here: the sweep).
  await eraseAttachments(deps.db, deps.attachments, attachments);
  return { messageId, position: result.lastPosition };
}
