/**
 * Accounts through real sockets on every store: logoutEverywhere and
 * changePassword (ending sessions and the WebSockets that use them, 4403),
 * the per-user session limit, old password hashes upgraded at login, the
 * password length checked before any hash, and the failed-login and sign-up
 * limits at their real defaults.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashingStats } from '../../src/accounts/passwords.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { protectionFromEnv } from '../../src/protection/protectionConfig.ts';
import { storeKinds } from '../support/databases.ts';
import { relaxedProtection } from '../support/protection.ts';
import { REGISTER, signUp, startTestServer, type TestServer } from '../support/server.ts';
import { oldHash } from './oldHash.ts';

const kinds = await storeKinds();

const LOGIN = 'mutation ($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { token user { id } } }';
const CHANGE = 'mutation ($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) }';
const ME = '{ me { id } }';

/** A graphql-ws connection signed in with `token`; `closed` resolves with the close code. */
async function signedInSocket(server: TestServer, token: string): Promise<{ closed: Promise<number> }> {
  const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  const [ack] = (await once(socket, 'message')) as [Buffer];
  expect(JSON.parse(ack.toString()).type).toBe('connection_ack');
  return { closed };
}

const codeOf = (result: { errors?: Array<{ extensions?: { code?: string } }> }) => result.errors?.[0]?.extensions?.code;

describe.each(kinds)('accounts on %s', (kind) => {
  let server: TestServer;
  const login = async (username: string, password = 'correct horse') => (await server.ok(LOGIN, { u: username, p: password })).login.token as string;
  const me = async (token: string) => ((await server.ok(ME, {}, token)).me as { id: string } | null)?.id ?? null;

  beforeAll(async () => {
    server = await startTestServer(kind, undefined, { protection: relaxedProtection({ sessionsPerUser: 3 }) });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('logoutEverywhere ends every session of the viewer, says how many, and closes their WebSockets with 4403', async () => {
    const eve = await signUp(server, 'eve');
    const other = await signUp(server, 'eves_neighbour');
    const second = await login('eve');
    const third = await login('eve');
    const socket = await signedInSocket(server, second);
    expect((await server.ok('mutation { logoutEverywhere }', {}, eve.token)).logoutEverywhere).toBe(3);
    expect(await socket.closed).toBe(4403);
    for (const token of [eve.token, second, third]) expect(await me(token)).toBeNull();
    expect(await me(other.token)).toBe(other.id);
  });

  it('logoutEverywhere without a valid token is UNAUTHENTICATED', async () => {
    expect(codeOf(await server.gql('mutation { logoutEverywhere }'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await server.gql('mutation { logoutEverywhere }', {}, 'thrds_forged'))).toBe('UNAUTHENTICATED');
  });

  it('logout closes the WebSockets signed in with that token (4403) and leaves the user\'s other sessions', async () => {
    const lou = await signUp(server, 'lou');
    const second = await login('lou');
    const socket = await signedInSocket(server, second);
    expect((await server.ok('mutation { logout }', {}, second)).logout).toBe(true);
    expect(await socket.closed).toBe(4403);
    expect(await me(lou.token)).toBe(lou.id);
  });

  it('changePassword refuses a missing token and a wrong current password (UNAUTHENTICATED) and a bad new one (BAD_USER_INPUT), changing nothing', async () => {
    const carl = await signUp(server, 'carl');
    expect(codeOf(await server.gql(CHANGE, { c: 'correct horse', n: 'battery staple' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await server.gql(CHANGE, { c: 'wrong horse', n: 'battery staple' }, carl.token))).toBe('UNAUTHENTICATED');
    const short = await server.gql(CHANGE, { c: 'correct horse', n: 'short' }, carl.token);
    expect(codeOf(short)).toBe('BAD_USER_INPUT');
    expect(short.errors?.[0]?.extensions).toMatchObject({ field: 'newPassword' });
    expect(codeOf(await server.gql(CHANGE, { c: 'correct horse', n: 'x'.repeat(1025) }, carl.token))).toBe('BAD_USER_INPUT');
    expect(await me(carl.token)).toBe(carl.id);
    expect(await login('carl')).toMatch(/^thrds_/);
  });

  it('changePassword replaces the password, ends every other session and its WebSockets (4403), and keeps the current one', async () => {
    const cleo = await signUp(server, 'cleo');
    const elsewhere = await login('cleo');
    const socket = await signedInSocket(server, elsewhere);
    expect((await server.ok(CHANGE, { c: 'correct horse', n: 'battery staple' }, cleo.token)).changePassword).toBe(true);
    expect(await socket.closed).toBe(4403);
    expect(await me(elsewhere)).toBeNull();
    expect(await me(cleo.token)).toBe(cleo.id);
    expect(codeOf(await server.gql(LOGIN, { u: 'cleo', p: 'correct horse' }))).toBe('UNAUTHENTICATED');
    expect(await login('cleo', 'battery staple')).toMatch(/^thrds_/);
  });

  it('keeps at most sessionsPerUser sessions per user: a fourth sign-in ends the oldest', async () => {
    const dora = await signUp(server, 'dora');
    const tokens = [dora.token, await login('dora'), await login('dora')];
    const fourth = await login('dora');
    expect(await me(tokens[0]!)).toBeNull();
    for (const token of [...tokens.slice(1), fourth]) expect(await me(token)).toBe(dora.id);
  });

  it('accepts a password hashed with the old parameters and stores a new-parameter hash at that login', async () => {
    await signUp(server, 'olga');
    const db = await openDatabase(server.database.url);
    try {
      await db.execute('UPDATE credentials SET password_hash = ? WHERE username = ?', [oldHash('correct horse'), 'olga']);
      expect(await login('olga')).toMatch(/^thrds_/);
      const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM credentials WHERE username = ?', ['olga']);
      expect(row?.password_hash).toMatch(/^scrypt\$16384\$8\$5\$/);
      expect(await login('olga')).toMatch(/^thrds_/);
      expect(codeOf(await server.gql(LOGIN, { u: 'olga', p: 'wrong horse' }))).toBe('UNAUTHENTICATED');
    } finally {
      await db.close();
    }
  });

  it('refuses a password over 1,024 characters at login and sign-up with BAD_USER_INPUT, hashing nothing (300 KB included)', async () => {
    await signUp(server, 'pat');
    const started = hashingStats().started;
    for (const password of ['p'.repeat(1025), 'p'.repeat(300_000)]) {
      const atLogin = await server.gql(LOGIN, { u: 'pat', p: password });
      expect(codeOf(atLogin)).toBe('BAD_USER_INPUT');
      expect(atLogin.errors?.[0]?.extensions).toMatchObject({ field: 'password' });
      expect(codeOf(await server.gql(REGISTER, { u: 'pat_two', p: password, d: 'Pat' }))).toBe('BAD_USER_INPUT');
    }
    expect(hashingStats().started).toBe(started);
  });

  it('answers an unknown or impossible username UNAUTHENTICATED, like a wrong password', async () => {
    expect(codeOf(await server.gql(LOGIN, { u: 'nobody_here', p: 'correct horse' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await server.gql(LOGIN, { u: 'Not A Name!'.repeat(1000), p: 'correct horse' }))).toBe('UNAUTHENTICATED');
  });
});

describe.each(kinds)('login and sign-up limits at their defaults on %s', (kind) => {
  let server: TestServer;
  const head = async () => (await server.logHead());

  beforeAll(async () => {
    server = await startTestServer(kind, undefined, { protection: protectionFromEnv({}) });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('refuses the 6th sign-up from one address with RATE_LIMITED and writes no UserRegistered for it', async () => {
    for (let i = 1; i <= 5; i += 1) await signUp(server, `signup${i}`);
    const before = await head();
    const sixth = await server.gql(REGISTER, { u: 'signup6', p: 'correct horse', d: 'Six' });
    expect(codeOf(sixth)).toBe('RATE_LIMITED');
    expect(sixth.errors?.[0]?.extensions).toMatchObject({ retryAfter: expect.any(Number) });
    expect((sixth.errors?.[0]?.extensions as { retryAfter: number }).retryAfter).toBeGreaterThan(3000);
    expect(await head()).toBe(before);
    const registered = (await server.ok('{ events(first: 100) { type data } }')).events as Array<{ type: string; data: { username?: string } }>;
    expect(registered.filter((e) => e.type === 'UserRegistered').map((e) => e.data.username)).toEqual(['signup1', 'signup2', 'signup3', 'signup4', 'signup5']);
  });

  it('after 10 wrong passwords for one username, refuses the right one with RATE_LIMITED', async () => {
    for (let i = 0; i < 10; i += 1) {
      expect(codeOf(await server.gql(LOGIN, { u: 'signup1', p: `wrong horse ${i}` }))).toBe('UNAUTHENTICATED');
    }
    const right = await server.gql(LOGIN, { u: 'signup1', p: 'correct horse' });
    expect(codeOf(right)).toBe('RATE_LIMITED');
    expect(right.data?.login ?? null).toBeNull();
    const retryAfter = (right.errors?.[0]?.extensions as { retryAfter: number }).retryAfter;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it('counts a wrong current password in changePassword as a failed login for that username', async () => {
    const { token } = (await server.ok(LOGIN, { u: 'signup2', p: 'correct horse' })).login as { token: string };
    for (let i = 0; i < 10; i += 1) {
      expect(codeOf(await server.gql(CHANGE, { c: `wrong horse ${i}`, n: 'battery staple' }, token))).toBe('UNAUTHENTICATED');
    }
    expect(codeOf(await server.gql(CHANGE, { c: 'correct horse', n: 'battery staple' }, token))).toBe('RATE_LIMITED');
    expect(codeOf(await server.gql(LOGIN, { u: 'signup2', p: 'correct horse' }))).toBe('RATE_LIMITED');
  });

  it('clears a username\'s failures at a successful login', async () => {
    for (let i = 0; i < 9; i += 1) expect(codeOf(await server.gql(LOGIN, { u: 'signup3', p: `wrong horse ${i}` }))).toBe('UNAUTHENTICATED');
    expect((await server.ok(LOGIN, { u: 'signup3', p: 'correct horse' })).login.token).toMatch(/^thrds_/);
    for (let i = 0; i < 9; i += 1) expect(codeOf(await server.gql(LOGIN, { u: 'signup3', p: `wrong horse ${i}` }))).toBe('UNAUTHENTICATED');
    expect((await server.ok(LOGIN, { u: 'signup3', p: 'correct horse' })).login.token).toMatch(/^thrds_/);
  });
});
