/** createThread: anyone signed in may open a thread with a title. */
import { NotFoundError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { currentSchemaVersion, streamOf, type ThreadCreated } from '../events/types.ts';
import { threadsByIds } from '../projections/threadsQueries.ts';
import { evolveThreads, type ThreadRow } from '../projections/threadsProjection.ts';
import { type Actor, type CommandDeps, idempotency, metadataFor } from '../modules/commandDeps.ts';
import { validate } from '../input/limits.ts';

export interface CreateThreadInput {
  readonly title: string;
  readonly idempotencyKey?: string | null | undefined;
}

/** Pure: the append that creates the thread. */
export function decideCreateThread(input: CreateThreadInput, actor: Actor, threadId: string): AppendRequest {
  const title = validate.title(input.title);
  const key = validate.idempotencyKey(input.idempotencyKey);
  const event: ThreadCreated = { type: 'ThreadCreated', data: { threadId, title } };
  return {
    streamId: streamOf.thread(threadId),
    events: [{ ...event, schemaVersion: currentSchemaVersion.ThreadCreated }],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: 'no_stream',
    ...idempotency(actor, 'createThread', key, { title }),
  };
}

export async function createThread(deps: CommandDeps, actor: Actor, input: CreateThreadInput): Promise<{ thread: ThreadRow; position: number }> {
  // Before the append: a refusal writes nothing.
  await deps.rateLimits.consume('threadsPerUser', actor.userId);
  const result = await deps.store.append(decideCreateThread(input, actor, deps.newId()));
  const threadId = String(result.events[0]?.data.threadId);
  // A retry returns the thread as it is now; a first append, the row its event folds to.
  const [thread] = result.duplicate ? await threadsByIds(deps.db, [threadId]) : [evolveThreads(result.events).created.get(threadId)];
  if (!thread) throw new NotFoundError(`No thread ${threadId}`);
  return { thread, position: result.lastPosition };
}
