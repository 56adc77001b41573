/**
 * Sessions on both stores, with the clock in the test's hand: idle and
 * absolute expiry, at most N per user (oldest dropped), the purge, the
 * cache honouring expiry, and `last_used_at` written about once a minute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredSessions, SessionCache, type SessionPolicy, startSessionSweep } from '../../src/accounts/sessions.ts';
import { tokenHash } from '../../src/accounts/sessionRows.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';

const kinds = await storeKinds();

const MINUTE = 60_000;
const DAY = 86_400_000;
const policy: SessionPolicy = { sessionIdleMs: 30 * DAY, sessionMaxAgeMs: 90 * DAY, sessionsPerUser: 3 };
const T0 = 1_800_000_000_000;

describe.each(kinds)('sessions on %s', (kind) => {
  let t: TestThrds;
  let users = 0;
  /** A user with credentials, as sign-in needs (the per-user limit locks that row on MySQL). */
  const newUser = async () => {
    users += 1;
    const userId = `00000000-0000-4000-8000-${String(users).padStart(12, '0')}`;
    await t.db.execute('INSERT INTO credentials (user_id, username, password_hash, created_at) VALUES (?, ?, ?, ?)', [userId, `user${users}`, 'x', T0]);
    return userId;
  };
  const row = async (token: string) =>
    (await t.db.query<{ last_used_at: number; created_at: number }>('SELECT last_used_at, created_at FROM sessions WHERE token_hash = ?', [tokenHash(token)]))[0];
  const count = async (userId: string) => Number((await t.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', [userId]))[0]?.n);

  beforeAll(async () => {
    t = await openTestThrds(kind);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('given a session unused for the idle limit, when its token is used, then it is refused; used just before, it lives on', async () => {
    const sessions = new SessionCache(t.db, policy, 0);
    const user = await newUser();
    const token = await sessions.create(user, T0);
    expect(await sessions.userIdFor(token, T0 + policy.sessionIdleMs - 1)).toBe(user);
    // That use moved the idle deadline: a full idle period later it is still one moment short.
    expect(await sessions.userIdFor(token, T0 + 2 * policy.sessionIdleMs - 2)).toBe(user);
    expect(await sessions.userIdFor(token, T0 + 3 * policy.sessionIdleMs)).toBeNull();
  });

  it('given a session used every day, when it reaches the absolute limit, then it is refused all the same', async () => {
    const sessions = new SessionCache(t.db, policy, 0);
    const user = await newUser();
    const token = await sessions.create(user, T0);
    for (let day = 1; day < 90; day += 7) expect(await sessions.userIdFor(token, T0 + day * DAY)).toBe(user);
    expect(await sessions.userIdFor(token, T0 + policy.sessionMaxAgeMs - 1)).toBe(user);
    expect(await sessions.userIdFor(token, T0 + policy.sessionMaxAgeMs)).toBeNull();
  });

  it('given the absolute limit was lowered since sign-in, when the token is used, then the lower limit applies', async () => {
    const user = await newUser();
    const token = await new SessionCache(t.db, policy, 0).create(user, T0);
    const stricter = new SessionCache(t.db, { ...policy, sessionMaxAgeMs: DAY }, 0);
    expect(await stricter.userIdFor(token, T0 + DAY - 1)).toBe(user);
    expect(await stricter.userIdFor(token, T0 + DAY)).toBeNull();
  });

  it('given a cached token, when its session expires, then the cache does not serve it past the expiry', async () => {
    const short: SessionPolicy = { ...policy, sessionIdleMs: 10 * MINUTE, sessionMaxAgeMs: 20 * MINUTE };
    const sessions = new SessionCache(t.db, short, 60 * MINUTE);
    const user = await newUser();
    const token = await sessions.create(user, T0);
    expect(await sessions.userIdFor(token, T0 + 1)).toBe(user);
    // The cache would keep the entry for an hour; the session is idle after ten minutes.
    expect(await sessions.userIdFor(token, T0 + 10 * MINUTE + 1)).toBeNull();
  });

  it('given many requests with one token, when they come within a minute, then last_used_at is written once a minute at most', async () => {
    const sessions = new SessionCache(t.db, policy, 0);
    const user = await newUser();
    const token = await sessions.create(user, T0);
    for (let s = 1; s < 60; s += 1) await sessions.userIdFor(token, T0 + s * 1000);
    expect(Number((await row(token))?.last_used_at)).toBe(T0);
    await sessions.userIdFor(token, T0 + MINUTE);
    expect(Number((await row(token))?.last_used_at)).toBe(T0 + MINUTE);
    await sessions.userIdFor(token, T0 + MINUTE + 30_000);
    expect(Number((await row(token))?.last_used_at)).toBe(T0 + MINUTE);
  });

  it('given a user at the per-user limit, when one more session starts, then the oldest is dropped and the listeners hear of it', async () => {
    const sessions = new SessionCache(t.db, policy, 0);
    const heard: string[] = [];
    sessions.onRevoked((userId) => heard.push(userId));
    const user = await newUser();
    const tokens: string[] = [];
    for (let i = 0; i < 3; i += 1) tokens.push(await sessions.create(user, T0 + i));
    expect(heard).toEqual([]);
    tokens.push(await sessions.create(user, T0 + 3));
    expect(heard).toEqual([user]);
    expect(await count(user)).toBe(3);
    expect(await sessions.userIdFor(tokens[0]!, T0 + 4)).toBeNull();
    for (const token of tokens.slice(1)) expect(await sessions.userIdFor(token, T0 + 4)).toBe(user);
  });

  it('given a user with more sessions than the limit (from before it existed), when one more starts, then only the newest N remain', async () => {
    const user = await newUser();
    const lax = new SessionCache(t.db, { ...policy, sessionsPerUser: 100 }, 0);
    for (let i = 0; i < 7; i += 1) await lax.create(user, T0 + i);
    const latest = await new SessionCache(t.db, policy, 0).create(user, T0 + 7);
    expect(await count(user)).toBe(3);
    expect(await lax.userIdFor(latest, T0 + 8)).toBe(user);
  });

  it('given a user whose sessions expired, when they sign in again, then the expired rows are purged and do not count against the limit', async () => {
    const sessions = new SessionCache(t.db, policy, 0);
    const user = await newUser();
    const old = [await sessions.create(user, T0), await sessions.create(user, T0 + 1)];
    const alive = await sessions.create(user, T0 + 2 * policy.sessionIdleMs);
    // The two first ones were idle too long: purged at that sign-in, and the newest three are all live ones.
    expect(await count(user)).toBe(1);
    const later = [await sessions.create(user, T0 + 2 * policy.sessionIdleMs + 1), await sessions.create(user, T0 + 2 * policy.sessionIdleMs + 2)];
    expect(await count(user)).toBe(3);
    for (const token of [alive, ...later]) expect(await sessions.userIdFor(token, T0 + 2 * policy.sessionIdleMs + 3)).toBe(user);
    for (const token of old) expect(await row(token)).toBeUndefined();
  });

  it('given concurrent sign-ins of one user, when they all finish, then the user holds at most the limit', async () => {
    const sessions = new SessionCache(t.db, policy, 0);
    const user = await newUser();
    await Promise.all(Array.from({ length: 8 }, (_, i) => sessions.create(user, T0 + i)));
    expect(await count(user)).toBe(3);
  });

  it('given expired and live sessions, when purged, then exactly the expired rows go and their users are named', async () => {
    const sessions = new SessionCache(t.db, policy, 0);
    const [idle, old, live] = [await newUser(), await newUser(), await newUser()];
    await t.db.execute('DELETE FROM sessions');
    const base = T0 + 1000 * DAY;
    await sessions.create(idle, base - policy.sessionIdleMs - 1);
    const oldToken = await sessions.create(old, base - policy.sessionMaxAgeMs);
    // Kept in use all along, but past the absolute limit.
    await t.db.execute('UPDATE sessions SET last_used_at = ? WHERE token_hash = ?', [base - 1, tokenHash(oldToken)]);
    const liveToken = await sessions.create(live, base - DAY);
    const purged = await purgeExpiredSessions(t.db, base, policy);
    expect(purged.sort()).toEqual([idle, old].sort());
    expect([await count(idle), await count(old), await count(live)]).toEqual([0, 0, 1]);
    expect(await sessions.userIdFor(liveToken, base)).toBe(live);
    expect(await purgeExpiredSessions(t.db, base, policy)).toEqual([]);
  });

  it('given a sweep started on the cache, when its interval passes, then expired sessions are purged and their users revoked', async () => {
    const sessions = new SessionCache(t.db, policy, 0);
    const user = await newUser();
    await t.db.execute('DELETE FROM sessions');
    await sessions.create(user, T0 - policy.sessionMaxAgeMs * 100);
    const revoked = new Promise<string>((resolve) => sessions.onRevoked(resolve));
    const stop = startSessionSweep(sessions, Date.now, 20);
    try {
      expect(await revoked).toBe(user);
    } finally {
      stop();
    }
    expect(await count(user)).toBe(0);
  });

  it('given a user with several sessions, when all but one end, then the kept one lives and the listeners hear once', async () => {
    const sessions = new SessionCache(t.db, policy, 0);
    const heard: string[] = [];
    sessions.onRevoked((userId) => heard.push(userId));
    const user = await newUser();
    const [a, b, c] = [await sessions.create(user, T0), await sessions.create(user, T0 + 1), await sessions.create(user, T0 + 2)];
    expect(await sessions.endAll(user, b)).toBe(2);
    expect(heard).toEqual([user]);
    expect([await sessions.userIdFor(a, T0 + 3), await sessions.userIdFor(b, T0 + 3), await sessions.userIdFor(c, T0 + 3)]).toEqual([null, user, null]);
    expect(await sessions.end(b)).toBe(true);
    expect(await sessions.end(b)).toBe(false);
    expect(heard).toEqual([user, user]);
  });
});
