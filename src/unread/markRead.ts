/**
 * markRead: the viewer has read a thread up to a log position. Not an
 * event (readMarkers.ts says why): one monotonic upsert, then the viewer's
 * other devices hear of it through `myThreads` (threadUpdates.ts).
 */
import { NotFoundError, ValidationError } from '../errors.ts';
import { validate } from '../input/limits.ts';
import type { Actor, CommandDeps } from '../modules/commandDeps.ts';
import { log } from '../observability/log.ts';
import { moveMarker } from './readMarkers.ts';
import type { ThreadUpdates } from './threadUpdates.ts';

export interface MarkReadInput {
  readonly threadId: string;
  readonly position: number;
}

export interface MarkReadResult {
  readonly threadId: string;
  /** Where the marker stands now: the position given, or a later one it already stood at. */
  readonly position: number;
  /** The marker moved (false for a stale or repeated position). */
  readonly moved: boolean;
}

/** Pure: a marker may stand anywhere from 0 to the log's head, in a thread that exists. */
export function decideMarkRead(input: MarkReadInput, facts: { readonly head: number; readonly threadExists: boolean }): MarkReadInput {
  const threadId = validate.uuid(input.threadId, 'threadId');
  if (!Number.isSafeInteger(input.position) || input.position < 0) throw new ValidationError('position must be a log position', { field: 'position' });
  if (input.position > facts.head) {
    throw new ValidationError(`position ${input.position} is beyond the head of the log (${facts.head})`, { field: 'position', head: String(facts.head) });
  }
  if (!facts.threadExists) throw new NotFoundError(`No thread ${threadId}`, { threadId });
  return { threadId, position: input.position };
}

export async function markRead(deps: CommandDeps & { readonly threadUpdates: ThreadUpdates }, actor: Actor, input: MarkReadInput): Promise<MarkReadResult> {
  // First, before any read: a flood costs one counter lookup per refusal and writes nothing.
  await deps.rateLimits.consume('markReadPerUser', actor.userId);
  const threadId = validate.uuid(input.threadId, 'threadId');
  const [head, threadExists] = await Promise.all([deps.store.head(), deps.readCache.threadExists(threadId)]);
  const decided = decideMarkRead(input, { head: head.position, threadExists });
  const { before, after } = await moveMarker(deps.db, actor.userId, decided.threadId, decided.position, deps.clock());
  const moved = before === null || before < decided.position;
  if (moved) deps.threadUpdates.markedRead(actor.userId, decided.threadId, after);
  log.debug({ requestId: actor.correlationId, userId: actor.userId, threadId, position: decided.position, moved }, 'read marker');
  return { threadId, position: after, moved };
}
