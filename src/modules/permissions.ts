/**
 * Who may write what: a suspended user may not write at all, nobody writes
 * into a locked thread (posts, reactions, edits, renames), and moderation
 * needs a role. Every command handler that writes on a user's behalf asks
 * here first, after its rate limit.
 *
 * Standing is read from the users table on every check, never from the
 * process's ReadCache: a suspension (or a `thrds admin grant` from another
 * process, or another instance) must bite on the very next write. It is one
 * primary-key read, with the thread's lock in the same statement. A write
 * decided just before a lock or suspension commits may still land after it,
 * as in any system that checks before it writes; the one after it will not.
 */
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import { roleOf, UNTIL_FURTHER_NOTICE } from '../projections/usersQueries.ts';
import type { Actor, CommandDeps } from './commandDeps.ts';
import type { Role } from './userRoleChanged.ts';

export interface WriteScope {
  /**
   * The thread written to, when the write goes into one and a lock must stop
   * it (posts, reactions, edits, renames). Leave it out for writes a lock does
   * not stop: deleting a message (taking one's words back, or a moderator
   * cleaning up) still works in a locked thread.
   */
  readonly threadId?: string;
}

/** What the rules need to know about the writer and the thread. */
export interface WriteFacts {
  readonly role: Role;
  /** As the read model holds it: null, or when the suspension ends (it may have ended already). */
  readonly suspendedUntil: number | null;
  /** Whether the thread written to is locked (false when there is none, or it does not exist: the command says NOT_FOUND). */
  readonly locked: boolean;
}

/** How roles rank: a moderator acts on members only, an admin on moderators and members. */
export const RANK: Readonly<Record<Role, number>> = { MEMBER: 0, MODERATOR: 1, ADMIN: 2 };

export function isModerator(role: Role): boolean {
  return RANK[role] >= RANK.MODERATOR;
}

/** Whether a suspension stored as `until` is in force at `now`. */
export function isSuspended(until: number | null, now: number): until is number {
  return until !== null && until > now;
}

export function suspensionText(until: number): string {
  return until >= UNTIL_FURTHER_NOTICE ? 'until further notice' : `until ${new Date(until).toISOString()}`;
}

/** Pure: throws FORBIDDEN when the facts forbid a write at `now`. */
export function decideMayWrite(facts: WriteFacts, now: number): void {
  if (isSuspended(facts.suspendedUntil, now)) throw new ForbiddenError(`You are suspended ${suspensionText(facts.suspendedUntil)}: you cannot write`);
  if (facts.locked) throw new ForbiddenError('This thread is locked: nothing new can be written in it');
}

/** Throws FORBIDDEN when `actor` may not write into `scope` now. */
export async function assertMayWrite(deps: CommandDeps, actor: Actor, scope: WriteScope = {}): Promise<void> {
  decideMayWrite(await writeFacts(deps, actor, scope), deps.clock());
}

/** The actor's role now (moderation checks: deleting another's message, locking, suspending). */
export async function actorRole(deps: CommandDeps, actor: Actor): Promise<Role> {
  return (await writeFacts(deps, actor, {})).role;
}

/**
 * For moderation commands: throws FORBIDDEN when the actor may not write
 * (a suspended moderator does not moderate) and returns their role, in one read.
 */
export async function assertMayModerate(deps: CommandDeps, actor: Actor, scope: WriteScope = {}): Promise<Role> {
  const facts = await writeFacts(deps, actor, scope);
  decideMayWrite(facts, deps.clock());
  return facts.role;
}

async function writeFacts(deps: CommandDeps, actor: Actor, { threadId }: WriteScope): Promise<WriteFacts> {
  const [row] = await deps.db.query<{ role: string; suspended_until: number | string | null; locked: number | string | null }>(
    threadId === undefined
      ? 'SELECT role, suspended_until, NULL AS locked FROM users WHERE id = ?'
      : 'SELECT role, suspended_until, (SELECT locked FROM threads WHERE id = ?) AS locked FROM users WHERE id = ?',
    threadId === undefined ? [actor.userId] : [threadId, actor.userId],
  );
  // A session's user is always in the read model; without one there is nobody to act as.
  if (!row) throw new UnauthenticatedError();
  return { role: roleOf(row.role), suspendedUntil: row.suspended_until === null ? null : Number(row.suspended_until), locked: Number(row.locked ?? 0) === 1 };
}
