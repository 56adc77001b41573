/**
 * register, login, logout, logoutEverywhere and changePassword.
 * Registration appends UserRegistered and writes the credentials in the same
 * transaction: a user never exists without a password, nor a password
 * without its user. The first account of an empty store is its admin
 * (FIRST_ADMIN_KEY). Every costly step (a lookup, a hash) comes after the
 * input is valid and the rate limits allow it; a refusal writes nothing.
 */
import { createHash } from 'node:crypto';
import type { SessionCache } from './sessions.ts';
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { isUniqueViolation } from '../db/database.ts';
import { ConcurrencyError, NotFoundError, ThrdsError, UnauthenticatedError } from '../errors.ts';
import { streamOf } from '../events/types.ts';
import { newEvent } from '../modules/eventModule.ts';
import { userRegistered } from '../modules/userRegistered.ts';
import type { UserRow } from '../projections/usersProjection.ts';
import { anyUserRegistered, userByUsername } from '../projections/usersQueries.ts';
import type { Role } from '../modules/userRoleChanged.ts';
import { type CommandDeps, metadataFor } from '../modules/commandDeps.ts';
import { isUsername, validate } from '../input/limits.ts';
import { checkLoginAllowed, countLoginFailure, countLoginSuccess, type LoginAttempt } from './loginAttempts.ts';

export interface AccountDeps extends CommandDeps {
  readonly sessions: SessionCache;
}

/** Where an account request came from. */
export interface AccountRequest {
  readonly correlationId: string;
  readonly clientAddress: string;
}

export interface RegisterInput {
  readonly username: string;
  readonly password: string;
  readonly displayName: string;
}

export interface Session {
  readonly token: string;
  readonly user: UserRow;
}

const usernameTaken = (username: string) => new ConcurrencyError(`The username ${username} is taken`, { field: 'username' });

export async function register(deps: AccountDeps, input: RegisterInput, request: AccountRequest): Promise<Session> {
  const username = validate.username(input.username);
  const password = validate.password(input.password);
  const displayName = validate.displayName(input.displayName);
  // Counted once the input is valid (a typo costs no sign-up) and before any lookup or hash.
  await deps.rateLimits.consume('signupsPerAddress', request.clientAddress);
  if (await userByUsername(deps.db, username)) throw usernameTaken(username);

  const userId = deps.newId();
  const passwordHash = await hashPassword(password);
  const now = deps.clock();
  const append = (role: Role) =>
    deps.store.append({
      streamId: streamOf.user(userId),
      events: [newEvent(userRegistered, { userId, username, displayName, role })],
      metadata: { ...metadataFor(null, request.correlationId), actorId: userId },
      expectedVersion: 'no_stream',
      ...(role === 'ADMIN' ? firstAdminClaim(userId) : {}),
      withinTransaction: async (tx) => {
        await tx.execute('INSERT INTO credentials (user_id, username, password_hash, created_at) VALUES (?, ?, ?, ?)', [
          userId,
          username,
          passwordHash,
          now,
        ]);
      },
    });
  try {
    const first = !(await anyUserRegistered(deps.db));
    try {
      await append(first ? 'ADMIN' : 'MEMBER');
    } catch (error) {
      // Another registration claimed the store's first admin between our look and our append: we are a member.
      if (!(first && isFirstAdminTaken(error))) throw error;
      await append('MEMBER');
    }
  } catch (error) {
    if (isUniqueViolation(error) || (error instanceof ThrdsError && error.code === 'CONFLICT')) throw usernameTaken(username);
    throw error;
  }
  return session(deps, userId);
}

/**
 * The first account registered on an empty store is its admin, exactly
 * once: the registration that claims it also claims this store-wide
 * idempotency key, bound to itself. Of two registrations that both found the
 * store empty, the second to commit finds the key taken by another request
 * (CONFLICT, nothing written) and registers again as a member. Client keys
 * are `<user id>:<key>` (commandDeps.ts), so none can take this one.
 */
export const FIRST_ADMIN_KEY = 'first-admin';

function firstAdminClaim(userId: string): { idempotencyKey: string; requestHash: string } {
  return { idempotencyKey: FIRST_ADMIN_KEY, requestHash: createHash('sha256').update(`register:${userId}`).digest('hex') };
}

function isFirstAdminTaken(error: unknown): boolean {
  return error instanceof ConcurrencyError && error.details.field === 'idempotencyKey';
}

const WRONG_CREDENTIALS = 'Wrong username or password';

/** A name that could be an account's, or null (it is then counted only per address). */
function accountName(username: string): string | null {
  const trimmed = username.trim();
  return isUsername(trimmed) ? trimmed : null;
}

export async function login(deps: AccountDeps, input: { username: string; password: string }, request: AccountRequest): Promise<Session> {
  validate.passwordLength(input.password);
  const attempt: LoginAttempt = { username: accountName(input.username), clientAddress: request.clientAddress };
  await checkLoginAllowed(deps.rateLimits, attempt);
  // A name no account can have needs no lookup and no hash: saying so fast reveals nothing.
  const [row] =
    attempt.username === null
      ? []
      : await deps.db.query<{ user_id: string; password_hash: string }>('SELECT user_id, password_hash FROM credentials WHERE username = ?', [
          attempt.username,
        ]);
  // Verify against a dummy hash of today's cost when the user is unknown, so timing does not reveal usernames.
  const ok = attempt.username !== null && (await verifyPassword(input.password, row?.password_hash ?? DUMMY_HASH));
  if (!row || !ok) {
    await countLoginFailure(deps.rateLimits, attempt);
    throw new UnauthenticatedError(WRONG_CREDENTIALS);
  }
  await countLoginSuccess(deps.rateLimits, attempt);
  if (needsRehash(row.password_hash)) await setPasswordHash(deps, row.user_id, await hashPassword(input.password), row.password_hash);
  return session(deps, row.user_id);
}

/** Ends the session of `token`; false when there was none. */
export function logout(deps: AccountDeps, token: string | null): Promise<boolean> {
  return token ? deps.sessions.end(token) : Promise.resolve(false);
}

/** Ends every session of the signed-in user, this one included; how many ended. */
export async function logoutEverywhere(deps: AccountDeps, token: string | null): Promise<number> {
  const userId = await signedIn(deps, token);
  return deps.sessions.endAll(userId);
}

export interface ChangePasswordInput {
  readonly currentPassword: string;
  readonly newPassword: string;
}

/**
 * Replaces the signed-in user's password and ends every other session of
 * theirs. A wrong current password counts as a failed login.
 */
export async function changePassword(deps: AccountDeps, token: string | null, input: ChangePasswordInput, request: AccountRequest): Promise<boolean> {
  const userId = await signedIn(deps, token);
  validate.passwordLength(input.currentPassword, 'currentPassword');
  const newPassword = validate.password(input.newPassword, 'newPassword');
  const [row] = await deps.db.query<{ username: string; password_hash: string }>('SELECT username, password_hash FROM credentials WHERE user_id = ?', [userId]);
  if (!row) throw new UnauthenticatedError();
  const attempt: LoginAttempt = { username: row.username, clientAddress: request.clientAddress };
  await checkLoginAllowed(deps.rateLimits, attempt);
  if (!(await verifyPassword(input.currentPassword, row.password_hash))) {
    await countLoginFailure(deps.rateLimits, attempt);
    throw new UnauthenticatedError('Wrong current password');
  }
  await countLoginSuccess(deps.rateLimits, attempt);
  await setPasswordHash(deps, userId, await hashPassword(newPassword));
  await deps.sessions.endAll(userId, token ?? undefined);
  return true;
}

async function signedIn(deps: AccountDeps, token: string | null): Promise<string> {
  const userId = token ? await deps.sessions.userIdFor(token, deps.clock()) : null;
  if (!userId) throw new UnauthenticatedError();
  return userId;
}

/** Writes a new hash; with `replacing`, only over that hash (a rehash at login never undoes a password change made meanwhile). */
async function setPasswordHash(deps: CommandDeps, userId: string, hash: string, replacing?: string): Promise<void> {
  if (replacing === undefined) await deps.db.execute('UPDATE credentials SET password_hash = ? WHERE user_id = ?', [hash, userId]);
  else await deps.db.execute('UPDATE credentials SET password_hash = ? WHERE user_id = ? AND password_hash = ?', [hash, userId, replacing]);
}

async function session(deps: AccountDeps, userId: string): Promise<Session> {
  const [user] = await deps.readCache.usersByIds([userId]);
  if (!user) throw new NotFoundError('The account exists but is not readable yet');
  return { token: await deps.sessions.create(userId, deps.clock()), user };
}
