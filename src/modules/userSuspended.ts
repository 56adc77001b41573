/**
 * UserSuspended: a moderator stops a user writing until a time (null: until
 * further notice; a time already past lifts it). Moderators act on members,
 * admins on moderators and members; nobody on themselves or on an admin
 * (an admin is demoted first, by another admin).
 */
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { validate } from '../input/limits.ts';
import type { UserRow, UserStanding } from '../projections/usersProjection.ts';
import { standingForChange, UNTIL_FURTHER_NOTICE } from '../projections/usersQueries.ts';
import { type Actor, type CommandDeps, decidedAgainOnConflict, metadataFor } from './commandDeps.ts';
import { defineEvent, newEvent } from './eventModule.ts';
import { assertMayModerate, isModerator, isSuspended, RANK } from './permissions.ts';
import type { Role } from './userRoleChanged.ts';

export type UserSuspendedData = { readonly userId: string; readonly until: number | null };

export const userSuspended = defineEvent<UserSuspendedData>()({
  type: 'UserSuspended',
  schemaVersion: 1,
  upcasters: {},
  stream: 'user',
  evolve: {
    users: (changes, { data, recordedAt }) => changes.change(data.userId, { suspendedUntil: storedUntil(data.until, recordedAt) }),
  },
});

/** The read model's `suspended_until` for a suspension until `until` decided at `at`: null once lifted. */
export function storedUntil(until: number | null, at: number): number | null {
  if (until === null) return UNTIL_FURTHER_NOTICE;
  return until <= at ? null : until;
}

export interface SuspendUserInput {
  readonly userId: string;
  /** Epoch ms; null or absent: until further notice. */
  readonly until?: number | null | undefined;
}

export interface SuspendUserFacts {
  /** The moderator's role now. */
  readonly actorRole: Role;
  /** The user to suspend, with their stream's version; null when there is none. */
  readonly target: (UserStanding & { readonly version: number }) | null;
}

/** Pure. null: nothing would change (the same end, or lifting a suspension that is not in force). */
export function decideSuspendUser(input: SuspendUserInput, facts: SuspendUserFacts, actor: Actor, now: number): AppendRequest | null {
  const userId = validate.uuid(input.userId, 'userId');
  const until = input.until ?? null;
  if (until !== null && !(Number.isFinite(until) && until <= UNTIL_FURTHER_NOTICE)) {
    throw new ValidationError(`until must be a DateTime up to ${new Date(UNTIL_FURTHER_NOTICE).toISOString()}, or null for until further notice`, { field: 'until' });
  }
  if (!isModerator(facts.actorRole)) throw new ForbiddenError('Only moderators and admins may suspend users');
  const { target } = facts;
  if (!target) throw new NotFoundError(`No user ${userId}`, { userId });
  if (userId === actor.userId) throw new ForbiddenError('You cannot suspend yourself');
  if (RANK[target.role] >= RANK[facts.actorRole]) throw new ForbiddenError(`A ${facts.actorRole.toLowerCase()} cannot suspend a ${target.role.toLowerCase()}`);
  const stored = storedUntil(until, now);
  const inForce = isSuspended(target.suspendedUntil, now);
  if (stored === null ? !inForce : inForce && stored === target.suspendedUntil) return null;
  return {
    streamId: streamOf.user(userId),
    events: [newEvent(userSuspended, { userId, until })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: target.version,
  };
}

/** `suspendUser`: moderators and admins; the user as they are now (their suspension resolves fresh). */
export async function suspendUser(deps: CommandDeps, actor: Actor, input: SuspendUserInput): Promise<UserRow> {
  await deps.rateLimits.consume('moderationPerUser', actor.userId);
  const actorRole = await assertMayModerate(deps, actor);
  const userId = validate.uuid(input.userId, 'userId');
  // A suspension racing another change to the user is decided again on what won.
  await decidedAgainOnConflict(async () => {
    const request = decideSuspendUser(input, { actorRole, target: await standingForChange(deps.db, userId) }, actor, deps.clock());
    if (request) await deps.store.append(request);
  });
  const [user] = await deps.readCache.usersByIds([userId]);
  if (!user) throw new NotFoundError(`No user ${userId}`, { userId });
  return user;
}
