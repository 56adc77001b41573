/**
 * Bearer tokens: random, shown to the client once, stored only as a
 * SHA-256 hash. Sessions are mutable secrets and live outside the log.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(db: Database, userId: string, now: number): Promise<string> {
  const token = `thrds_${randomBytes(32).toString('base64url')}`;
  await db.execute('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [
    tokenHash(token),
    userId,
    now,
    now + SESSION_TTL_MS,
  ]);
  return token;
}

/** The user id a live token belongs to, or null. */
export async function userIdForToken(db: Database, token: string, now: number): Promise<string | null> {
  if (!/^thrds_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [row] = await db.query<{ user_id: string; expires_at: number }>('SELECT user_id, expires_at FROM sessions WHERE token_hash = ?', [
    tokenHash(token),
  ]);
  if (!row || Number(row.expires_at) <= now) return null;
  return row.user_id;
}

/**
 * Remembers live tokens for a few seconds, so a client posting many messages
 * is not looked up once per request. Revocation on this instance is at once;
 * another instance may honour a revoked token for at most `ttlMs`.
 */
export class SessionCache {
  private readonly entries = new Map<string, { userId: string; until: number }>();

  constructor(
    private readonly db: Database,
    private readonly ttlMs = 5000,
    private readonly max = 10_000,
  ) {}

  async userIdFor(token: string, now: number): Promise<string | null> {
    const hit = this.entries.get(token);
    if (hit && hit.until > now) return hit.userId;
    const userId = await userIdForToken(this.db, token, now);
    if (userId) {
      if (this.entries.size >= this.max) this.entries.clear();
      this.entries.set(token, { userId, until: now + this.ttlMs });
    } else this.entries.delete(token);
    return userId;
  }

  forget(token: string): void {
    this.entries.delete(token);
  }

  private readonly revocationListeners = new Set<(userId: string) => void>();

  /**
   * Called with a user id after some of that user's sessions were ended
   * (logout, logoutEverywhere, changePassword, expiry purge): open
   * connections of that user re-check their token and close when it is gone.
   */
  onRevoked(listener: (userId: string) => void): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  /** Forgets every cached token of `userId` and tells the listeners. */
  revoked(userId: string): void {
    for (const [token, entry] of this.entries) if (entry.userId === userId) this.entries.delete(token);
    for (const listener of this.revocationListeners) listener(userId);
  }
}

export async function revokeSession(db: Database, token: string): Promise<boolean> {
  const { affectedRows } = await db.execute('DELETE FROM sessions WHERE token_hash = ?', [tokenHash(token)]);
  return affectedRows > 0;
}

/** `Bearer <token>` → token; anything else → null. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}
