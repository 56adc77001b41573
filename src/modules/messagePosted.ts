/**
 * MessagePosted: a signed-in user posts to an existing thread, optionally
 * replying to one of its messages, in MARKDOWN (the default) or PLAIN, with
 * up to MAX_ATTACHMENTS (attachments/claimUploads.ts) of their own uploads. `:shortcode:`s become emoji
 * before the text is checked (input/shortcodes.ts).
 */
import { attachmentIds as validAttachmentIds, claimUploads, releaseUploads } from '../attachments/claimUploads.ts';
import type { AttachmentData } from '../attachments/attachmentTypes.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { AppendRequest, AppendResult } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { validate } from '../input/limits.ts';
import { withEmoji } from '../input/shortcodes.ts';
import { cleanText, hasVisibleCharacter } from '../input/textRules.ts';
// Types only from the projections: they dispatch to the modules (index.ts), so a runtime import would be a cycle.
import type { MessageRow } from '../projections/messagesProjection.ts';
import { messagesByIds } from '../projections/messagesQueries.ts';
import { type Actor, type CommandDeps, idempotency, metadataFor } from './commandDeps.ts';
import { defineEvent, messageContentKey, newEvent, type Recorded } from './eventModule.ts';
import { mayWritePrecondition } from './permissions.ts';

export type MessageFormat = 'plain' | 'markdown';

export type MessagePostedData = {
  readonly messageId: string;
  readonly threadId: string;
  readonly body: string;
  readonly replyToId: string | null;
  readonly format: MessageFormat;
  /** In posting order; erased with the text (v4; [] for a message posted before attachments). */
  readonly attachments: readonly AttachmentData[];
};

export const messagePosted = defineEvent<MessagePostedData>()({
  type: 'MessagePosted',
  schemaVersion: 4,
  upcasters: {
    // v2 added `format`; every v1 message was plain text.
    1: (data) => ({ format: 'plain', ...data }),
    // v3 stores `body` as erasable content (the store reads it back in place): the shape read is the same.
    2: (data) => data,
    // v4 added `attachments`, erasable with the body; a v3 message has none.
    3: (data) => ({ attachments: [], ...data }),
  },
  stream: 'thread',
  evolve: {
    messages: (changes, event) => changes.post(messageOf(event)),
    threads: (changes, { data, recordedAt, position }) => changes.change(data.threadId, { position, addedMessages: 1, lastActivityAt: recordedAt }),
    mentions: (changes, { data, position }) => changes.post(data.messageId, data.threadId, position, data.body),
    search: (changes, { data, metadata, position }) =>
      changes.post({ messageId: data.messageId, threadId: data.threadId, authorId: metadata.actorId ?? '', position, body: data.body }),
    // A list, '' once erased, or absent (posted before attachments): AttachmentChanges.post takes each.
    attachments: (changes, { data, position }) => changes.post(data.messageId, position, (data as { readonly attachments?: unknown }).attachments),
  },
  // Deleting the message erases its attachments' names and digests with its text.
  erasable: { fields: ['body', 'attachments'], key: (data) => messageContentKey(data.messageId) },
});

/** The message row an event folds to: the read model's row, and what fan-out resolves from without a read. */
export function messageOf({ data, metadata, recordedAt, position }: Recorded<'MessagePosted', MessagePostedData>): MessageRow {
  return {
    id: data.messageId,
    threadId: data.threadId,
    authorId: metadata.actorId ?? '',
    body: data.body,
    postedAt: recordedAt,
    position,
    replyToId: data.replyToId,
    format: data.format,
    editedAt: null,
    deletedAt: null,
    // Erased, the field reads as '' (events/erasableContent.ts): no attachments.
    attachments: Array.isArray(data.attachments) ? data.attachments : [],
  };
}

export interface PostMessageInput {
  readonly threadId: string;
  readonly body: string;
  readonly replyToId?: string | null | undefined;
  readonly idempotencyKey?: string | null | undefined;
  /** Absent or null: MARKDOWN. */
  readonly format?: MessageFormat | null | undefined;
  readonly attachmentIds?: readonly string[] | null | undefined;
}

/** What the read side knows that the rules depend on. */
export interface PostMessageFacts {
  readonly threadExists: boolean;
  /** The thread of the message replied to; null when it does not exist. */
  readonly replyToThreadId: string | null;
  /** The uploads claimed for this post (claimUploads), in the order of attachmentIds; none when absent. */
  readonly attachments?: readonly AttachmentData[];
}

/** A post's input checked and normalized: what the event holds, and the key. */
export interface ValidPost {
  readonly threadId: string;
  readonly body: string;
  readonly replyToId: string | null;
  readonly format: MessageFormat;
  readonly attachmentIds: readonly string[];
  readonly idempotencyKey: string | undefined;
}

/**
 * Pure: BAD_USER_INPUT for anything wrong in the input alone. The body's
 * shortcodes are converted first, so the length rules count the emoji; with
 * attachments, a blank body is allowed and stored as ''.
 */
export function validPost(input: PostMessageInput): ValidPost {
  const threadId = validate.uuid(input.threadId, 'threadId');
  const replyToId = input.replyToId == null ? null : validate.uuid(input.replyToId, 'replyToId');
  const format = input.format ?? 'markdown';
  const attachmentIds = validAttachmentIds(input.attachmentIds ?? []);
  const text = withEmoji(input.body, format);
  const body = attachmentIds.length > 0 && !hasVisibleCharacter(cleanText('body', text)) ? '' : validate.body(text);
  return { threadId, body, replyToId, format, attachmentIds, idempotencyKey: validate.idempotencyKey(input.idempotencyKey) };
}

/** Pure: checks the input against the facts and returns the append. */
export function decidePostMessage(input: PostMessageInput, facts: PostMessageFacts, actor: Actor, messageId: string): AppendRequest {
  return decideValidPost(validPost(input), facts, actor, messageId);
}

/** decidePostMessage for input validPost has checked already (postMessage checks it before it claims uploads). */
function decideValidPost(post: ValidPost, facts: PostMessageFacts, actor: Actor, messageId: string): AppendRequest {
  const { threadId, body, replyToId, format, attachmentIds, idempotencyKey } = post;
  if (!facts.threadExists) throw new NotFoundError(`No thread ${threadId}`, { threadId });
  if (replyToId !== null) {
    if (facts.replyToThreadId === null) throw new NotFoundError(`No message ${replyToId}`, { replyToId });
    if (facts.replyToThreadId !== threadId) throw new ValidationError('replyToId must be a message of the same thread', { replyToId });
  }
  const attachments = facts.attachments ?? [];
  if (attachments.map((a) => a.id).join() !== attachmentIds.join()) throw new Error('The uploads claimed are not the attachmentIds asked for');
  return {
    streamId: streamOf.thread(threadId),
    events: [newEvent(messagePosted, { messageId, threadId, body, replyToId, format, attachments })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: 'stream_exists',
    ...idempotency(actor, 'postMessage', idempotencyKey, { threadId, body, replyToId, format, attachmentIds }),
  };
}

export async function postMessage(deps: CommandDeps, actor: Actor, input: PostMessageInput): Promise<{ message: MessageRow; position: number }> {
  // First, before any read: a flood costs one counter lookup per refusal and writes nothing.
  await deps.rateLimits.consume('postsPerUser', actor.userId);
  // Then the input alone, so a bad post claims no upload.
  const post = validPost(input);
  const { threadId, replyToId, attachmentIds, idempotencyKey } = post;
  const [exists, replied] = await Promise.all([
    deps.readCache.threadExists(threadId),
    replyToId === null ? Promise.resolve([]) : messagesByIds(deps.db, [replyToId]),
  ]);
  if (!exists) throw new NotFoundError(`No thread ${threadId}`, { threadId });
  const messageId = deps.newId();
  // A retry under the same idempotency key claims the same uploads again; the append then answers with the first post.
  const claimToken = idempotencyKey === undefined ? `message:${messageId}` : `key:${idempotencyKey}`;
  const attachments = attachmentIds.length > 0 ? await claimUploads(deps, actor, attachmentIds, claimToken) : [];
  const facts = { threadExists: exists, replyToThreadId: replied[0]?.threadId ?? null, attachments };
  let result: AppendResult;
  try {
    // The writer's standing is read with the append, under the log's lock: no round trip of its own.
    result = await deps.store.append({ ...decideValidPost(post, facts, actor, messageId), precondition: mayWritePrecondition(deps, actor, { threadId }) });
  } catch (error) {
    // Refused (a reply to no message, a reused key) or failed: the uploads may be posted again.
    if (attachmentIds.length > 0) await releaseAfter(error, () => releaseUploads(deps, actor, attachmentIds, claimToken));
    throw error;
  }
  // The row the projection wrote in the same transaction, folded from the same event: no read needed.
  const [event] = result.events;
  if (event?.type !== messagePosted.type) throw new NotFoundError('The append stored no message');
  const message = messageOf(event as Recorded<'MessagePosted', MessagePostedData>);
  return { message, position: result.lastPosition };
}

/** Releases a failed post's uploads; if that fails too, both errors go up together (a bug to the client, both logged in full). */
async function releaseAfter(failure: unknown, release: () => Promise<void>): Promise<void> {
  try {
    await release();
  } catch (releaseError) {
    throw new AggregateError([failure, releaseError], 'A post failed and its uploads could not be released');
  }
}
