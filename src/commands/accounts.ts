/**
 * register and login. Registration appends UserRegistered and writes the
 * credentials in the same transaction: a user never exists without a
 * password, nor a password without its user.
 */
import { createSession, revokeSession, type SessionCache } from '../accounts/sessions.ts';
import { hashPassword, verifyPassword } from '../accounts/passwords.ts';
import { isUniqueViolation } from '../db/database.ts';
import { ConcurrencyError, NotFoundError, ThrdsError, UnauthenticatedError } from '../errors.ts';
import { currentSchemaVersion, streamOf, type UserRegistered } from '../events/types.ts';
import type { UserRow } from '../projections/usersProjection.ts';
import { userByUsername } from '../projections/usersQueries.ts';
import { type CommandDeps, metadataFor } from './commandDeps.ts';
import { validate } from './limits.ts';

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

export async function register(deps: CommandDeps, input: RegisterInput, correlationId: string): Promise<Session> {
  const username = validate.username(input.username);
  const password = validate.password(input.password);
  const displayName = validate.displayName(input.displayName);
  if (await userByUsername(deps.db, username)) throw usernameTaken(username);

  const userId = deps.newId();
  const passwordHash = await hashPassword(password);
  const event: UserRegistered = { type: 'UserRegistered', data: { userId, username, displayName } };
  const now = deps.clock();
  try {
    await deps.store.append({
      streamId: streamOf.user(userId),
      events: [{ ...event, schemaVersion: currentSchemaVersion.UserRegistered }],
      metadata: { ...metadataFor(null, correlationId), actorId: userId },
      expectedVersion: 'no_stream',
      withinTransaction: async (tx) => {
        await tx.execute('INSERT INTO credentials (user_id, username, password_hash, created_at) VALUES (?, ?, ?, ?)', [
          userId,
          username,
          passwordHash,
          now,
        ]);
      },
    });
  } catch (error) {
    if (isUniqueViolation(error) || (error instanceof ThrdsError && error.code === 'CONFLICT')) throw usernameTaken(username);
    throw error;
  }
  return session(deps, userId);
}

export async function login(deps: CommandDeps, input: { username: string; password: string }): Promise<Session> {
  const [row] = await deps.db.query<{ user_id: string; password_hash: string }>('SELECT user_id, password_hash FROM credentials WHERE username = ?', [
    input.username.trim(),
  ]);
  // Verify against a dummy hash when the user is unknown, so timing does not reveal usernames.
  const ok = await verifyPassword(input.password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok) throw new UnauthenticatedError('Wrong username or password');
  return session(deps, row.user_id);
}

export function logout(deps: CommandDeps & { sessions: SessionCache }, token: string): Promise<boolean> {
  deps.sessions.forget(token);
  return revokeSession(deps.db, token);
}

async function session(deps: CommandDeps, userId: string): Promise<Session> {
  const [user] = await deps.readCache.usersByIds([userId]);
  if (!user) throw new NotFoundError('The account exists but is not readable yet');
  return { token: await createSession(deps.db, userId, deps.clock()), user };
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';
