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
 * checked before it appends, decided just before a lock or suspension
 * commits, may still land after it; one that makes the check a precondition
 * of its append (mayWritePrecondition: posts) cannot.
 */
import type { Statement } from '../db/database.ts';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { AppendPrecondition } from '../events/eventStore.ts';
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

/**
 * assertMayWrite as a precondition of the append (AppendPrecondition): the
 * same read, sent in the append's first round trip under the log's lock, so
 * a post costs no round trip for it and a lock or suspension that commits
 * first always bites.
 */
export function mayWritePrecondition(deps: CommandDeps, actor: Actor, scope: WriteScope = {}): AppendPrecondition {
  return {
    read: writeFactsRead(actor, scope),
    refuse: (rows) => {
      try {
        decideMayWrite(writeFactsFrom(rows[0] as WriteFactsRow | undefined), deps.clock());
        return undefined;
      } catch (error) {
        return error as Error;
      }
    },
  };
}

type WriteFactsRow = { role: string; suspended_until: number | string | null; locked: number | string | null };

function writeFactsRead(actor: Actor, { threadId }: WriteScope): Statement {
  return threadId === undefined
    ? { sql: 'SELECT role, suspended_until, NULL AS locked FROM users WHERE id = ?', params: [actor.userId] }
    : { sql: 'SELECT role, suspended_until, (SELECT locked FROM threads WHERE id = ?) AS locked FROM users WHERE id = ?', params: [threadId, actor.userId] };
}

function writeFactsFrom(row: WriteFactsRow | undefined): WriteFacts {
  // A session's user is always in the read model; without one there is nobody to act as.
  if (!row) throw new UnauthenticatedError();
  return { role: roleOf(row.role), suspendedUntil: row.suspended_until === null ? null : Number(row.suspended_until), locked: Number(row.locked ?? 0) === 1 };
}

async function writeFacts(deps: CommandDeps, actor: Actor, scope: WriteScope): Promise<WriteFacts> {
  const { sql, params } = writeFactsRead(actor, scope);
  const [row] = await deps.db.query<WriteFactsRow>(sql, params);
  return writeFactsFrom(row);
}
