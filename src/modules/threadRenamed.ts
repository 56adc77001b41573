/** ThreadRenamed: the creator of a thread gives it a new title (not while it is locked, nor while they are suspended). */
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { validate } from '../input/limits.ts';
import { threadsByIds } from '../projections/threadsQueries.ts';
import type { ThreadRow } from '../projections/threadsProjection.ts';
import { type Actor, type CommandDeps, decidedAgainOnConflict, idempotency, isVersionConflict, metadataFor } from './commandDeps.ts';
import { defineEvent, newEvent } from './eventModule.ts';
import { assertMayWrite } from './permissions.ts';

export type ThreadRenamedData = { readonly threadId: string; readonly title: string; readonly previousTitle: string };

export const threadRenamed = defineEvent<ThreadRenamedData>()({
  type: 'ThreadRenamed',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {
    threads: (changes, { data, position }) => changes.change(data.threadId, { position, title: data.title }),
  },
});

export interface RenameThreadInput {
  readonly threadId: string;
  readonly title: string;
  readonly idempotencyKey?: string | null | undefined;
}

/** The thread as the rules see it: who created it, its title, and its stream's version when that was read. */
export interface RenameThreadFacts {
  readonly thread: { readonly createdBy: string; readonly title: string; readonly version: number } | null;
}

/**
 * Pure: only the creator may rename; the append expects the stream at the
 * version the title was read at, so `previousTitle` is exactly the title it
 * replaces (a concurrent change makes it a CONFLICT, and the handler decides
 * again). null: the title is already that, nothing to append.
 */
export function decideRenameThread(input: RenameThreadInput, facts: RenameThreadFacts, actor: Actor): AppendRequest | null {
  const threadId = validate.uuid(input.threadId, 'threadId');
  const title = validate.title(input.title);
  const key = validate.idempotencyKey(input.idempotencyKey);
  const { thread } = facts;
  if (!thread) throw new NotFoundError(`No thread ${threadId}`, { threadId });
  if (thread.createdBy !== actor.userId) throw new ForbiddenError('Only the creator of a thread may rename it');
  if (thread.title === title) return null;
  return {
    streamId: streamOf.thread(threadId),
    events: [newEvent(threadRenamed, { threadId, title, previousTitle: thread.title })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: thread.version,
    ...idempotency(actor, 'renameThread', key, { threadId, title }),
  };
}

export async function renameThread(deps: CommandDeps, actor: Actor, input: RenameThreadInput): Promise<{ thread: ThreadRow; position: number }> {
  await deps.rateLimits.consume('postsPerUser', actor.userId);
  const threadId = validate.uuid(input.threadId, 'threadId');
  await assertMayWrite(deps, actor, { threadId });
  // A rename racing another write to the thread is decided again on what won.
  return decidedAgainOnConflict(async () => {
    const request = decideRenameThread(input, await renameFacts(deps, threadId), actor);
    const appended = request ? await deps.store.append(request) : undefined;
    // The read model is written in the append's transaction: this read sees the rename.
    const [thread] = await threadsByIds(deps.db, [threadId]);
    if (!thread) throw new NotFoundError(`No thread ${threadId}`, { threadId });
    return { thread, position: appended?.lastPosition ?? thread.position };
  }, isVersionConflict);
}

/** The thread's creator and title with its stream's version, read in one statement so they agree. */
async function renameFacts(deps: CommandDeps, threadId: string): Promise<RenameThreadFacts> {
  const [row] = await deps.db.query<{ created_by: string; title: string; version: number | string | null }>(
    'SELECT created_by, title, (SELECT MAX(stream_version) FROM events WHERE stream_id = ?) AS version FROM threads WHERE id = ?',
    [streamOf.thread(threadId), threadId],
  );
  return { thread: row ? { createdBy: row.created_by, title: row.title, version: Number(row.version ?? 0) } : null };
}
