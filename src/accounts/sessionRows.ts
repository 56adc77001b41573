/**
 * The `sessions` table: one row per live bearer token, keyed by the token's
 * SHA-256 (the token itself is shown to the client once and never stored).
 * A session ends when unused for `sessionIdleMs`, `sessionMaxAgeMs` after
 * it began, when its user holds more than `sessionsPerUser` (oldest first),
 * or when it is revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database, Statement } from '../db/database.ts';
import type { ProtectionConfig } from '../protection/protectionConfig.ts';

export type SessionPolicy = Pick<ProtectionConfig, 'sessionIdleMs' | 'sessionMaxAgeMs' | 'sessionsPerUser'>;

/** `last_used_at` is written at most this often per session (a minute, or sooner when the idle limit is short). */
export function touchEveryMs(policy: SessionPolicy): number {
  return Math.min(60_000, Math.floor(policy.sessionIdleMs / 4));
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const TOKEN = /^thrds_[A-Za-z0-9_-]{43}$/;

interface SessionRow {
  readonly token_hash: string;
  readonly created_at: number;
  readonly expires_at: number;
  readonly last_used_at: number;
}

/** The expiry written at sign-in, or sooner when the absolute limit was lowered since. */
function endsAt(row: SessionRow, policy: SessionPolicy): number {
  return Math.min(Number(row.expires_at), Number(row.created_at) + policy.sessionMaxAgeMs);
}

function expired(row: SessionRow, policy: SessionPolicy, now: number): boolean {
  return now >= endsAt(row, policy) || now >= Number(row.last_used_at) + policy.sessionIdleMs;
}

/** Deletes by token hash, a few hundred at a time (a user from before the limit may hold thousands). */
function deletions(hashes: readonly string[]): Statement[] {
  const statements: Statement[] = [];
  for (let i = 0; i < hashes.length; i += 500) {
    const chunk = hashes.slice(i, i + 500);
    statements.push({ sql: `DELETE FROM sessions WHERE token_hash IN (${chunk.map(() => '?').join(', ')})`, params: chunk });
  }
  return statements;
}

/**
 * Starts a session, purging the user's expired ones and dropping the
 * oldest live ones beyond `sessionsPerUser`. On MySQL the user's
 * credentials row is locked first, so two sign-ins of one user at once
 * cannot both keep the limit's last place.
 */
export async function insertSession(db: Database, policy: SessionPolicy, userId: string, now: number): Promise<{ token: string; dropped: number }> {
  const token = `thrds_${randomBytes(32).toString('base64url')}`;
  const dropped = await db.transaction(async (tx) => {
    await tx.query(`SELECT user_id FROM credentials WHERE user_id = ?${db.forUpdate}`, [userId]);
    const rows = await tx.query<SessionRow>(
      'SELECT token_hash, created_at, expires_at, last_used_at FROM sessions WHERE user_id = ? ORDER BY created_at DESC, token_hash DESC',
      [userId],
    );
    const live = rows.filter((row) => !expired(row, policy, now));
    const drop = [...rows.filter((row) => expired(row, policy, now)), ...live.slice(Math.max(0, policy.sessionsPerUser - 1))].map((row) => row.token_hash);
    await tx.commitWith([
      ...deletions(drop),
      {
        sql: 'INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_used_at) VALUES (?, ?, ?, ?, ?)',
        params: [tokenHash(token), userId, now, now + policy.sessionMaxAgeMs, now],
      },
    ]);
    return drop.length;
  });
  return { token, dropped };
}

/**
 * The user a live token belongs to and until when it stays live unless used
 * again, or null. Marks the session used when it was last marked over
 * `touchEveryMs` ago: at most about one write per session a minute.
 */
export async function liveSession(db: Database, policy: SessionPolicy, token: string, now: number): Promise<{ userId: string; liveUntil: number } | null> {
  if (!TOKEN.test(token)) return null;
  const hash = tokenHash(token);
  const [row] = await db.query<SessionRow & { user_id: string }>(
    'SELECT token_hash, user_id, created_at, expires_at, last_used_at FROM sessions WHERE token_hash = ?',
    [hash],
  );
  if (!row || expired(row, policy, now)) return null;
  const lastUsed = Number(row.last_used_at);
  const touchEvery = touchEveryMs(policy);
  const touch = now - lastUsed >= touchEvery;
  if (touch) await db.execute('UPDATE sessions SET last_used_at = ? WHERE token_hash = ? AND last_used_at <= ?', [now, hash, now - touchEvery]);
  return { userId: row.user_id, liveUntil: Math.min(endsAt(row, policy), (touch ? now : lastUsed) + policy.sessionIdleMs) };
}

/** Ends one session; the user it belonged to, or null when there was none. */
export async function deleteSession(db: Database, token: string): Promise<string | null> {
  const hash = tokenHash(token);
  const [row] = await db.query<{ user_id: string }>('SELECT user_id FROM sessions WHERE token_hash = ?', [hash]);
  if (!row) return null;
  const { affectedRows } = await db.execute('DELETE FROM sessions WHERE token_hash = ?', [hash]);
  return affectedRows > 0 ? row.user_id : null;
}

/** Ends every session of `userId` but the one of `keepToken`; how many ended. */
export async function deleteUserSessions(db: Database, userId: string, keepToken?: string): Promise<number> {
  const { affectedRows } =
    keepToken === undefined
      ? await db.execute('DELETE FROM sessions WHERE user_id = ?', [userId])
      : await db.execute('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?', [userId, tokenHash(keepToken)]);
  return affectedRows;
}

/**
 * Deletes every expired session (idle, too old, or past the expiry written
 * at sign-in) and returns the users who lost one, so their open connections
 * can be told. Expired rows are already refused; this keeps the table small.
 */
export async function purgeExpiredSessions(db: Database, now: number, policy: SessionPolicy): Promise<string[]> {
  const where = 'expires_at <= ? OR created_at <= ? OR last_used_at <= ?';
  const params = [now, now - policy.sessionMaxAgeMs, now - policy.sessionIdleMs];
  const users = await db.query<{ user_id: string }>(`SELECT DISTINCT user_id FROM sessions WHERE ${where}`, params);
  if (users.length === 0) return [];
  await db.execute(`DELETE FROM sessions WHERE ${where}`, params);
  return users.map((row) => row.user_id);
}
