/**
 * UserRoleChanged: an admin (or the operator, with `thrds admin grant`)
 * gives a user another role. Only admins may; the last admin cannot be
 * demoted, even by two admins demoting each other at the same moment (see
 * `adminsKey`), so a store that has an admin keeps one.
 */
import { createHash } from 'node:crypto';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { canonicalJson } from '../events/canonicalJson.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { validate } from '../input/limits.ts';
import { adminsWithVersions, standingForChange } from '../projections/usersQueries.ts';
import type { UserRow, UserStanding } from '../projections/usersProjection.ts';
import { type Actor, type CommandDeps, decidedAgainOnConflict, metadataFor } from './commandDeps.ts';
import { defineEvent, newEvent } from './eventModule.ts';
import { assertMayModerate } from './permissions.ts';

export type Role = 'MEMBER' | 'MODERATOR' | 'ADMIN';

export const ROLES: readonly Role[] = ['MEMBER', 'MODERATOR', 'ADMIN'];

export type UserRoleChangedData = { readonly userId: string; readonly role: Role; readonly previousRole: Role };

export const userRoleChanged = defineEvent<UserRoleChangedData>()({
  type: 'UserRoleChanged',
  schemaVersion: 1,
  upcasters: {},
  stream: 'user',
  evolve: {
    users: (changes, { data }) => changes.change(data.userId, { role: data.role }),
  },
});

export interface SetUserRoleInput {
  readonly userId: string;
  readonly role: Role;
}

/** Who changes a role: a signed-in user (with their role now), or the operator at the command line (no user: the CLI's request id). */
export type RoleChanger = { readonly actor: Actor; readonly role: Role } | { readonly cli: { readonly correlationId: string } };

/** What the rules depend on, read together. */
export interface SetUserRoleFacts {
  /** The user whose role changes, with their stream's version; null when there is none. */
  readonly target: (UserStanding & { readonly version: number }) | null;
  /** Every admin now, with their stream's version. */
  readonly admins: ReadonlyArray<{ readonly userId: string; readonly version: number }>;
}

/**
 * Pure. null: the user already has that role, nothing to append. The append
 * expects the target's stream at the version its role was read at, so
 * `previousRole` is exact (a concurrent change is a CONFLICT, decided again).
 */
export function decideSetUserRole(input: SetUserRoleInput, facts: SetUserRoleFacts, by: RoleChanger): AppendRequest | null {
  const userId = validate.uuid(input.userId, 'userId');
  const role = roleNamed(input.role);
  if ('actor' in by && by.role !== 'ADMIN') throw new ForbiddenError('Only an admin may change roles');
  const { target } = facts;
  if (!target) throw new NotFoundError(`No user ${userId}`, { userId });
  if (target.role === role) return null;
  if (target.role === 'ADMIN' && facts.admins.every((admin) => admin.userId === userId)) {
    throw new ForbiddenError('This is the last admin: make someone else admin first, so the store keeps one');
  }
  return {
    streamId: streamOf.user(userId),
    events: [newEvent(userRoleChanged, { userId, role, previousRole: target.role })],
    metadata: 'actor' in by ? metadataFor(by.actor, by.actor.correlationId) : metadataFor(null, by.cli.correlationId),
    expectedVersion: target.version,
    // Every change to the set of admins (a demotion or a promotion) claims the key of the set it was decided on.
    ...(target.role === 'ADMIN' || role === 'ADMIN' ? adminsKey(facts.admins, { userId, role }) : {}),
  };
}

/**
 * Two admins demoting each other at once would each see the other still
 * there, append to different streams, and leave no admin. So every change to
 * the set of admins claims a store-wide idempotency key named for the state
 * of the set it was decided on: its members, each with their stream's
 * version (a user who leaves and comes back has moved on, so a state never
 * recurs). Only one change can leave a state: a second one decided on the
 * same state, however stale, finds the key taken by a different request
 * (CONFLICT, nothing written) and is decided again on what the first left.
 * Promotions claim it too, so "decided on a state nobody has left yet" means
 * "decided on the state that is current". Keys never collide with clients'
 * (theirs are `<user id>:<key>`).
 */
export function adminsKey(admins: SetUserRoleFacts['admins'], request: { readonly userId: string; readonly role: Role }): { idempotencyKey: string; requestHash: string } {
  const set = admins.map((admin) => `${admin.userId}@${admin.version}`).sort();
  return {
    idempotencyKey: `admins:${sha256(set.join(','))}`,
    requestHash: sha256(canonicalJson({ command: 'setUserRole', request })),
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A role by name, any case (the CLI's `admin`, GraphQL's `ADMIN`); undefined when there is none. */
export function parseRole(name: string): Role | undefined {
  return ROLES.find((known) => known === name.toUpperCase());
}

/** A role by name, any case; BAD_USER_INPUT when there is none. */
export function roleNamed(name: string): Role {
  const role = parseRole(name);
  if (!role) throw new ValidationError(`role must be one of ${ROLES.join(', ')} (got ${JSON.stringify(name)})`, { field: 'role' });
  return role;
}

export interface RoleChangeResult {
  readonly previousRole: Role;
  readonly role: Role;
  /** The UserRoleChanged event's position; null when the user already had the role. */
  readonly position: number | null;
}

/** The decision and the append, for the API and the CLI alike (the caller checks who may ask). */
export async function changeRole(deps: Pick<CommandDeps, 'db' | 'store'>, input: SetUserRoleInput, by: RoleChanger): Promise<RoleChangeResult> {
  const userId = validate.uuid(input.userId, 'userId');
  // A change racing another (of this user, or of the admins: the key the change claims) is decided again on what won.
  return decidedAgainOnConflict(async () => {
    const [target, admins] = await Promise.all([standingForChange(deps.db, userId), adminsWithVersions(deps.db)]);
    const request = decideSetUserRole(input, { target, admins }, by);
    const role = roleNamed(input.role);
    // Without a target, decide threw NOT_FOUND; without a request, the role is already this.
    if (!request || !target) return { previousRole: role, role, position: null };
    const appended = await deps.store.append(request);
    return { previousRole: target.role, role, position: appended.lastPosition };
  });
}

/** `setUserRole`: admins only; the user as they are now (their role resolves fresh). */
export async function setUserRole(deps: CommandDeps, actor: Actor, input: SetUserRoleInput): Promise<UserRow> {
  await deps.rateLimits.consume('moderationPerUser', actor.userId);
  const role = await assertMayModerate(deps, actor);
  await changeRole(deps, input, { actor, role });
  const [user] = await deps.readCache.usersByIds([input.userId]);
  if (!user) throw new NotFoundError(`No user ${input.userId}`, { userId: input.userId });
  return user;
}
