/** MessagePosted: a signed-in user posts to an existing thread, optionally replying to one of its messages. */
import { NotFoundError, ValidationError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { validate } from '../input/limits.ts';
// Types only from the projections: they dispatch to the modules (index.ts), so a runtime import would be a cycle.
import type { MessageRow } from '../projections/messagesProjection.ts';
import { messagesByIds } from '../projections/messagesQueries.ts';
import { type Actor, type CommandDeps, idempotency, metadataFor } from './commandDeps.ts';
import { defineEvent, messageContentKey, newEvent, type Recorded } from './eventModule.ts';
import { assertMayWrite } from './permissions.ts';

export type MessageFormat = 'plain' | 'markdown';

export type MessagePostedData = {
  readonly messageId: string;
  readonly threadId: string;
  readonly body: string;
  readonly replyToId: string | null;
  readonly format: MessageFormat;
};

export const messagePosted = defineEvent<MessagePostedData>()({
  type: 'MessagePosted',
  schemaVersion: 3,
  upcasters: {
    // v2 added `format`; every v1 message was plain text.
    1: (data) => ({ format: 'plain', ...data }),
    // v3 stores `body` as erasable content (the store reads it back in place): the shape read is the same.
    2: (data) => data,
  },
  stream: 'thread',
  evolve: {
    messages: (changes, event) => changes.post(messageOf(event)),
    threads: (changes, { data, recordedAt, position }) => changes.change(data.threadId, { position, addedMessages: 1, lastActivityAt: recordedAt }),
    mentions: (changes, { data, position }) => changes.post(data.messageId, data.threadId, position, data.body),
  },
  erasable: { fields: ['body'], key: (data) => messageContentKey(data.messageId) },
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
  };
}

export interface PostMessageInput {
  readonly threadId: string;
  readonly body: string;
  readonly replyToId?: string | null | undefined;
  readonly idempotencyKey?: string | null | undefined;
}

/** What the read side knows that the rules depend on. */
export interface PostMessageFacts {
  readonly threadExists: boolean;
  /** The thread of the message replied to; null when it does not exist. */
  readonly replyToThreadId: string | null;
}

/** Pure: checks the input against the facts and returns the append. */
export function decidePostMessage(input: PostMessageInput, facts: PostMessageFacts, actor: Actor, messageId: string): AppendRequest {
  const threadId = validate.uuid(input.threadId, 'threadId');
  const body = validate.body(input.body);
  const replyToId = input.replyToId == null ? null : validate.uuid(input.replyToId, 'replyToId');
  const key = validate.idempotencyKey(input.idempotencyKey);
  if (!facts.threadExists) throw new NotFoundError(`No thread ${threadId}`, { threadId });
  if (replyToId !== null) {
    if (facts.replyToThreadId === null) throw new NotFoundError(`No message ${replyToId}`, { replyToId });
    if (facts.replyToThreadId !== threadId) throw new ValidationError('replyToId must be a message of the same thread', { replyToId });
  }
  return {
    streamId: streamOf.thread(threadId),
    events: [newEvent(messagePosted, { messageId, threadId, body, replyToId, format: 'plain' })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: 'stream_exists',
    ...idempotency(actor, 'postMessage', key, { threadId, body, replyToId }),
  };
}

export async function postMessage(deps: CommandDeps, actor: Actor, input: PostMessageInput): Promise<{ message: MessageRow; position: number }> {
  // First, before any read: a flood costs one counter lookup per refusal and writes nothing.
  await deps.rateLimits.consume('postsPerUser', actor.userId);
  const threadId = validate.uuid(input.threadId, 'threadId');
  await assertMayWrite(deps, actor, { threadId });
  const replyToId = input.replyToId == null ? null : validate.uuid(input.replyToId, 'replyToId');
  const [exists, replied] = await Promise.all([
    deps.readCache.threadExists(threadId),
    replyToId === null ? Promise.resolve([]) : messagesByIds(deps.db, [replyToId]),
  ]);
  const facts = { threadExists: exists, replyToThreadId: replied[0]?.threadId ?? null };
  const result = await deps.store.append(decidePostMessage(input, facts, actor, deps.newId()));
  // The row the projection wrote in the same transaction, folded from the same event: no read needed.
  const [event] = result.events;
  if (event?.type !== messagePosted.type) throw new NotFoundError('The append stored no message');
  const message = messageOf(event as Recorded<'MessagePosted', MessagePostedData>);
  return { message, position: result.lastPosition };
}
