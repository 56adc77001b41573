/**
 * ThreadLockChanged: a moderator or admin locks a thread (no new posts,
 * reactions, edits or renames: permissions.ts refuses them) or unlocks it.
 * Reading it, and deleting messages in it, still work.
 */
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { validate } from '../input/limits.ts';
import type { ThreadRow } from '../projections/threadsProjection.ts';
import { threadsByIds } from '../projections/threadsQueries.ts';
import { type Actor, type CommandDeps, decidedAgainOnConflict, isVersionConflict, metadataFor } from './commandDeps.ts';
import { defineEvent, newEvent } from './eventModule.ts';
import { assertMayModerate, isModerator } from './permissions.ts';
import type { Role } from './userRoleChanged.ts';

export type ThreadLockChangedData = { readonly threadId: string; readonly locked: boolean };

export const threadLockChanged = defineEvent<ThreadLockChangedData>()({
  type: 'ThreadLockChanged',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {
    threads: (changes, { data, position }) => changes.change(data.threadId, { position, locked: data.locked }),
  },
});

export interface LockThreadInput {
  readonly threadId: string;
  readonly locked: boolean;
}

export interface LockThreadFacts {
  readonly actorRole: Role;
  /** The thread with its stream's version when its lock was read; null when there is none. */
  readonly thread: { readonly locked: boolean; readonly version: number } | null;
}

/**
 * Pure. null: the thread is already so, nothing to append. The append
 * expects the version the lock was read at, so two moderators locking at
 * once write one event (the second is decided again, and finds it locked).
 */
export function decideLockThread(input: LockThreadInput, facts: LockThreadFacts, actor: Actor): AppendRequest | null {
  const threadId = validate.uuid(input.threadId, 'threadId');
  if (!isModerator(facts.actorRole)) throw new ForbiddenError('Only moderators and admins may lock or unlock a thread');
  const { thread } = facts;
  if (!thread) throw new NotFoundError(`No thread ${threadId}`, { threadId });
  if (thread.locked === input.locked) return null;
  return {
    streamId: streamOf.thread(threadId),
    events: [newEvent(threadLockChanged, { threadId, locked: input.locked })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: thread.version,
  };
}

export async function lockThread(deps: CommandDeps, actor: Actor, input: LockThreadInput): Promise<ThreadRow> {
  await deps.rateLimits.consume('moderationPerUser', actor.userId);
  // No lock scope: a moderator unlocks a locked thread.
  const actorRole = await assertMayModerate(deps, actor);
  const threadId = validate.uuid(input.threadId, 'threadId');
  // A busy thread moves on while a lock is decided: decided again on what won.
  return decidedAgainOnConflict(async () => {
    const request = decideLockThread(input, { actorRole, thread: await lockFacts(deps, threadId) }, actor);
    if (request) await deps.store.append(request);
    // The read model is written in the append's transaction: this read sees the lock.
    const [thread] = await threadsByIds(deps.db, [threadId]);
    if (!thread) throw new NotFoundError(`No thread ${threadId}`, { threadId });
    return thread;
  }, isVersionConflict);
}

/** The thread's lock with its stream's version, read in one statement so they agree. */
async function lockFacts(deps: CommandDeps, threadId: string): Promise<LockThreadFacts['thread']> {
  const [row] = await deps.db.query<{ locked: number | string; version: number | string | null }>(
    'SELECT locked, (SELECT MAX(stream_version) FROM events WHERE stream_id = ?) AS version FROM threads WHERE id = ?',
    [streamOf.thread(threadId), threadId],
  );
  return row ? { locked: Number(row.locked) === 1, version: Number(row.version ?? 0) } : null;
}
