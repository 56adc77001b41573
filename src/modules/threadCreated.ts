/** ThreadCreated: anyone signed in may open a thread with a title. */
import { NotFoundError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { validate } from '../input/limits.ts';
import { threadsByIds } from '../projections/threadsQueries.ts';
// Types only from the projections: they dispatch to the modules (index.ts), so a runtime import would be a cycle.
import type { ThreadRow } from '../projections/threadsProjection.ts';
import { type Actor, type CommandDeps, idempotency, metadataFor } from './commandDeps.ts';
import { defineEvent, newEvent, type Recorded } from './eventModule.ts';
import { assertMayWrite } from './permissions.ts';

export type ThreadCreatedData = { readonly threadId: string; readonly title: string };

export const threadCreated = defineEvent<ThreadCreatedData>()({
  type: 'ThreadCreated',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {
    threads: (changes, event) => changes.open(threadOf(event)),
  },
});

/** The thread row an event opens: the read model's row, and what ThreadCreated.thread resolves to without a read. */
export function threadOf({ data, metadata, recordedAt, position }: Recorded<'ThreadCreated', ThreadCreatedData>): ThreadRow {
  return { id: data.threadId, title: data.title, createdBy: metadata.actorId ?? '', createdAt: recordedAt, messageCount: 0, lastActivityAt: recordedAt, position, locked: false };
}

export interface CreateThreadInput {
  readonly title: string;
  readonly idempotencyKey?: string | null | undefined;
}

/** Pure: the append that creates the thread. */
export function decideCreateThread(input: CreateThreadInput, actor: Actor, threadId: string): AppendRequest {
  const title = validate.title(input.title);
  const key = validate.idempotencyKey(input.idempotencyKey);
  return {
    streamId: streamOf.thread(threadId),
    events: [newEvent(threadCreated, { threadId, title })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: 'no_stream',
    ...idempotency(actor, 'createThread', key, { title }),
  };
}

export async function createThread(deps: CommandDeps, actor: Actor, input: CreateThreadInput): Promise<{ thread: ThreadRow; position: number }> {
  // Before the append: a refusal writes nothing.
  await deps.rateLimits.consume('threadsPerUser', actor.userId);
  await assertMayWrite(deps, actor);
  const result = await deps.store.append(decideCreateThread(input, actor, deps.newId()));
  const threadId = String(result.events[0]?.data.threadId);
  // A retry returns the thread as it is now; a first append, the row its event folds to.
  const [thread] = result.duplicate ? await threadsByIds(deps.db, [threadId]) : [threadOf(result.events[0] as Recorded<'ThreadCreated', ThreadCreatedData>)];
  if (!thread) throw new NotFoundError(`No thread ${threadId}`);
  return { thread, position: result.lastPosition };
}
