/** postMessage: a signed-in user posts to an existing thread, optionally replying to one of its messages. */
import { NotFoundError, ValidationError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { currentSchemaVersion, type MessagePosted, streamOf } from '../events/types.ts';
import { upcast } from '../events/upcast.ts';
import { evolveMessages, type MessageRow } from '../projections/messagesProjection.ts';
import { messagesByIds } from '../projections/messagesQueries.ts';
import { type Actor, type CommandDeps, idempotency, metadataFor } from '../modules/commandDeps.ts';
import { validate } from '../input/limits.ts';

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
  const event: MessagePosted = { type: 'MessagePosted', data: { messageId, threadId, body, replyToId, format: 'plain' } };
  return {
    streamId: streamOf.thread(threadId),
    events: [{ ...event, schemaVersion: currentSchemaVersion.MessagePosted }],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: 'stream_exists',
    ...idempotency(actor, 'postMessage', key, { threadId, body, replyToId }),
  };
}

export async function postMessage(deps: CommandDeps, actor: Actor, input: PostMessageInput): Promise<{ message: MessageRow; position: number }> {
  // First, before any read: a flood costs one counter lookup per refusal and writes nothing.
  await deps.rateLimits.consume('postsPerUser', actor.userId);
  const threadId = validate.uuid(input.threadId, 'threadId');
  const replyToId = input.replyToId == null ? null : validate.uuid(input.replyToId, 'replyToId');
  const [exists, replied] = await Promise.all([
    deps.readCache.threadExists(threadId),
    replyToId === null ? Promise.resolve([]) : messagesByIds(deps.db, [replyToId]),
  ]);
  const facts = { threadExists: exists, replyToThreadId: replied[0]?.threadId ?? null };
  const result = await deps.store.append(decidePostMessage(input, facts, actor, deps.newId()));
  // The row the projection wrote in the same transaction, folded from the same event: no read needed.
  const [message] = evolveMessages(result.events.map(upcast));
  if (!message) throw new NotFoundError('The append stored no message');
  return { message, position: result.lastPosition };
}
