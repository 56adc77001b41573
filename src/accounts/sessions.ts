/**
 * Bearer tokens: random, shown to the client once, stored only as a
 * SHA-256 hash (sessionRows.ts). Sessions are mutable secrets and live
 * outside the log. SessionCache is the one way the rest of Thrds starts,
 * looks up and ends them, so every ending reaches the revocation listeners.
 */
import type { Database } from '../db/database.ts';
import { log, logFailure } from '../observability/log.ts';
import {
  deleteSession,
  deleteUserSessions,
  insertSession,
  liveSession,
  purgeExpiredSessions,
  type SessionPolicy,
} from './sessionRows.ts';

export { purgeExpiredSessions, type SessionPolicy } from './sessionRows.ts';

/**
 * Remembers live tokens for a few seconds, so a client posting many messages
 * is not looked up once per request, and never past the session's expiry.
 * Revocation on this instance is at once; another instance may honour a
 * revoked token for at most `ttlMs`.
 */
export class SessionCache {
  private readonly entries = new Map<string, { userId: string; until: number }>();
  private readonly revocationListeners = new Set<(userId: string, here: boolean) => void>();

  constructor(
    private readonly db: Database,
    readonly policy: SessionPolicy,
    private readonly ttlMs = 5000,
    private readonly max = 10_000,
  ) {}

  /** Starts a session for `userId` (dropping the oldest beyond the per-user limit) and returns its token. */
  async create(userId: string, now: number): Promise<string> {
    const { token, dropped } = await insertSession(this.db, this.policy, userId, now);
    if (dropped > 0) this.revoked(userId);
    return token;
  }

  async userIdFor(token: string, now: number): Promise<string | null> {
    const hit = this.entries.get(token);
    if (hit && hit.until > now) return hit.userId;
    const live = await liveSession(this.db, this.policy, token, now);
    if (live) {
      if (this.entries.size >= this.max) this.entries.clear();
      this.entries.set(token, { userId: live.userId, until: Math.min(now + this.ttlMs, live.liveUntil) });
    } else this.entries.delete(token);
    return live?.userId ?? null;
  }

  forget(token: string): void {
    this.entries.delete(token);
  }

  /** Ends the session of `token`; false when there was none. */
  async end(token: string): Promise<boolean> {
    this.forget(token);
    const userId = await deleteSession(this.db, token);
    if (userId) this.revoked(userId);
    return userId !== null;
  }

  /** Ends every session of `userId`, or every other one than `keepToken`'s; how many ended. */
  async endAll(userId: string, keepToken?: string): Promise<number> {
    const ended = await deleteUserSessions(this.db, userId, keepToken);
    this.revoked(userId);
    return ended;
  }

  /** Deletes expired sessions and tells the listeners whose they were; how many users lost one. */
  async purgeExpired(now: number): Promise<number> {
    const users = await purgeExpiredSessions(this.db, now, this.policy);
    for (const userId of users) this.revoked(userId);
    return users.length;
  }

  /**
   * Called with a user id after some of that user's sessions were ended
   * (logout, logoutEverywhere, changePassword, expiry purge): open
   * connections of that user re-check their token and close when it is gone.
   * `here` is false when another instance ended them (redisNotifier.ts).
   */
  onRevoked(listener: (userId: string, here: boolean) => void): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  /** Forgets every cached token of `userId` and tells the listeners; `here` false: another instance ended them. */
  revoked(userId: string, here = true): void {
    for (const [token, entry] of this.entries) if (entry.userId === userId) this.entries.delete(token);
    for (const listener of this.revocationListeners) listener(userId, here);
  }
}

/**
 * Purges expired sessions every `everyMs` (ten minutes by default) until
 * the returned function is called. The timer does not keep the process up.
 */
export function startSessionSweep(sessions: SessionCache, clock: () => number, everyMs = 10 * 60_000): () => void {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= sessions
      .purgeExpired(clock())
      .catch((error: unknown) => logFailure(log, error, 'session sweep failed; will retry', 'warn'))
      .finally(() => (running = undefined));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** `Bearer <token>` → token; anything else → null. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}
