/**
 * Who may write what: a suspended user may not write at all, nobody writes
 * into a locked thread (posts, reactions, edits), and moderation needs a
 * role. Every command handler that writes on a user's behalf asks here first.
 */
import type { Actor, CommandDeps } from './commandDeps.ts';

export interface WriteScope {
  /** The thread written to, when the write goes into one (a locked thread refuses it). */
  readonly threadId?: string;
}

/** Throws FORBIDDEN when `actor` may not write into `scope` now. */
export async function assertMayWrite(_deps: CommandDeps, _actor: Actor, _scope: WriteScope = {}): Promise<void> {
  // Filled in by the moderation work (roles, suspension, locked threads).
}

/** The actor's role now (moderation checks: deleting another's message, locking, suspending). */
export async function actorRole(_deps: CommandDeps, _actor: Actor): Promise<'MEMBER' | 'MODERATOR' | 'ADMIN'> {
  // Filled in by the moderation work.
  return 'MEMBER';
}
