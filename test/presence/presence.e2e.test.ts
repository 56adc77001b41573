/**
 * Presence and typing over a real server and real sockets, on both stores:
 * WebSocket tabs and SSE streams are counted as people and connections,
 * `Thread.online` follows `threadEvents`, typing reaches another user's
 * subscription within a second, expires after about 6 s and ends on a post,
 * and every refusal carries its code.
 */
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePrometheus } from '../observability/support/prometheus.ts';
import { storeKinds } from '../support/databases.ts';
import { relaxedProtection } from '../support/protection.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, THREAD_EVENTS, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';
import { live, PRESENCE, SET_TYPING, TYPING } from './presenceQueries.ts';

const ONLINE = 'query ($t: ID!) { online { people connections users { username } } thread(id: $t) { online { people connections users { username } } } }';
const SUSPEND = 'mutation ($u: ID!) { suspendUser(input: { userId: $u }) { id } }';

type Errors = { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> };
const codeOf = (result: Errors) => result.errors?.[0]?.extensions?.code;

interface Online {
  online: { people: number; connections: number; users: Array<{ username: string }> };
  thread: { online: { people: number; connections: number; users: Array<{ username: string }> } };
}

describe.each(await storeKinds())('presence and typing on %s', (kind) => {
  let server: TestServer;
  let alice: { token: string; id: string };
  let bob: { token: string; id: string };
  let threadId: string;
  const clients: Client[] = [];
  const online = () => server.ok<Online>(ONLINE, { t: threadId });

  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signUp(server, 'alice');
    bob = await signUp(server, 'bob');
    threadId = (await server.ok(CREATE_THREAD, { title: 'Who is here' }, alice.token)).createThread.thread.id;
  });
  afterAll(async () => {
    await server.dispose();
  });
  beforeEach(async () => {
    for (const client of clients.splice(0)) await client.dispose();
    await waitFor(async () => (await online()).online.connections === 0, { what: 'the previous test’s connections to close' });
  });

  const tab = (token?: string) => {
    const client = server.wsClient(token);
    clients.push(client);
    return client;
  };

  it('shows two tabs of one user and one of another as 2 people and 3 connections, and the thread open in one of them', async () => {
    const watcher = live<{ presence: { people: number; connections: number; users: Array<{ username: string }> } }>(tab(alice.token), PRESENCE);
    live(tab(alice.token), THREAD_EVENTS, { t: threadId });
    live(tab(bob.token), PRESENCE, { t: threadId });
    // A socket counts once it is open; the thread's count once its subscription has started, a moment later.
    await waitFor(
      async () => {
        const now = await online();
        return now.online.connections === 3 && now.thread.online.connections === 1;
      },
      { what: 'three connections, one of them in the thread' },
    );
    const now = await online();
    expect(now.online).toEqual({ people: 2, connections: 3, users: [{ username: 'alice' }, { username: 'bob' }] });
    expect(now.thread.online).toEqual({ people: 1, connections: 1, users: [{ username: 'alice' }] });
    await waitFor(() => watcher.items.at(-1)?.presence.connections === 3, { what: 'the subscription to show three connections' });
    expect(watcher.items.at(-1)?.presence).toEqual({ people: 2, connections: 3, users: [{ username: 'alice' }, { username: 'bob' }] });
    const metrics = parsePrometheus(await (await fetch(server.url.replace('/graphql', '/metrics'))).text());
    expect(metrics.types.get('thrds_presence_people')).toBe('gauge');
    expect(metrics.value('thrds_presence_people', { scope: 'instance' })).toBe(2);
    expect(metrics.value('thrds_presence_connections', { scope: 'all' })).toBe(3);
    expect(metrics.value('thrds_presence_updates_sent_total')).toBeGreaterThanOrEqual(1);
  });

  it('counts an anonymous tab as a connection, not a person, and lets a person go when their last tab closes', async () => {
    const watcher = live<{ presence: { people: number; connections: number; users: Array<{ username: string }> } }>(tab(), PRESENCE);
    const bobs = tab(bob.token);
    live(bobs, PRESENCE);
    await waitFor(() => watcher.items.at(-1)?.presence.connections === 2, { what: 'two connections' });
    expect(watcher.items.at(-1)?.presence).toEqual({ people: 1, connections: 2, users: [{ username: 'bob' }] });
    await bobs.dispose();
    await waitFor(() => watcher.items.at(-1)?.presence.connections === 1, { what: 'bob gone' });
    expect(watcher.items.at(-1)?.presence).toEqual({ people: 0, connections: 1, users: [] });
  });

  it('counts a signed-in SSE stream as a connection while it streams', async () => {
    const controller = new AbortController();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${bob.token}` },
      body: JSON.stringify({ query: PRESENCE, variables: { t: threadId } }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('"presence"')) text += new TextDecoder().decode((await reader.read()).value);
    await waitFor(async () => (await online()).online.people === 1, { what: 'bob online over SSE' });
    expect((await online()).online).toEqual({ people: 1, connections: 1, users: [{ username: 'bob' }] });
    controller.abort();
    await waitFor(async () => (await online()).online.connections === 0, { what: 'the stream to stop counting' });
  });

  it('refuses a bad thread id, an unknown thread and too many users with their codes', async () => {
    const bad = live(tab(), PRESENCE, { t: 'not-a-uuid' });
    const unknown = live(tab(), PRESENCE, { t: '00000000-0000-4000-8000-000000000000' });
    await waitFor(() => bad.errors.length > 0 && unknown.errors.length > 0, { what: 'both refused' });
    expect(JSON.stringify(bad.errors)).toContain('BAD_USER_INPUT');
    expect(JSON.stringify(unknown.errors)).toContain('NOT_FOUND');
    expect(codeOf(await server.gql('{ online { users(first: 201) { id } } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await server.gql('{ online { users(first: 200) { id } } }'))).toBeUndefined();
  });

  it('shows typing to another user within a second, never to the typist, and ends it when they post', async () => {
    const bobSees = live<{ typing: { threadId: string; users: Array<{ username: string }> } }>(tab(bob.token), TYPING, { t: threadId });
    const aliceSees = live<{ typing: { users: Array<{ username: string }> } }>(tab(alice.token), TYPING, { t: threadId });
    await waitFor(() => bobSees.items.length > 0 && aliceSees.items.length > 0, { what: 'the values now' });
    const sent = performance.now();
    expect((await server.ok(SET_TYPING, { t: threadId, on: true }, alice.token)).setTyping).toBe(true);
    await waitFor(() => bobSees.items.at(-1)?.typing.users.length === 1, { what: 'alice typing for bob', timeoutMs: 1000 });
    expect(performance.now() - sent).toBeLessThan(1000);
    expect(bobSees.items.at(-1)?.typing).toEqual({ threadId, users: [{ username: 'alice' }] });
    expect(aliceSees.items.every((item) => item.typing.users.length === 0)).toBe(true);
    const posted = performance.now();
    await server.ok(POST, { t: threadId, b: 'done typing' }, alice.token);
    await waitFor(() => bobSees.items.at(-1)?.typing.users.length === 0, { what: 'typing to end with the post' });
    expect(performance.now() - posted).toBeLessThan(2000);
  });

  it('ends typing by itself about 6 s after the last notice', { timeout: 20_000 }, async () => {
    const bobSees = live<{ typing: { users: Array<{ username: string }> } }>(tab(bob.token), TYPING, { t: threadId });
    await server.ok(SET_TYPING, { t: threadId, on: true }, alice.token);
    const sent = performance.now();
    await waitFor(() => bobSees.items.at(-1)?.typing.users.length === 1, { what: 'alice typing' });
    await waitFor(() => bobSees.items.at(-1)?.typing.users.length === 0, { what: 'the state to expire', timeoutMs: 10_000, intervalMs: 50 });
    const lasted = performance.now() - sent;
    expect(lasted).toBeGreaterThan(5000);
    expect(lasted).toBeLessThan(7500);
  });
});

describe('setTyping refusals', () => {
  let server: TestServer;
  beforeAll(async () => {
    const relaxed = relaxedProtection();
    server = await startTestServer('sqlite', undefined, { protection: relaxedProtection({ rates: { ...relaxed.rates, typingPerUser: { points: 3, durationSeconds: 60 } } }) });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('refuses without a token, a bad or unknown thread, a suspended user, and the notice past the rate limit', async () => {
    const admin = await signUp(server, 'admin');
    const typist = await signUp(server, 'typist');
    const banned = await signUp(server, 'banned');
    const thread = (await server.ok(CREATE_THREAD, { title: 'Typing' }, admin.token)).createThread.thread.id;
    expect(codeOf(await server.gql(SET_TYPING, { t: thread, on: true }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await server.gql(SET_TYPING, { t: 'nope', on: true }, admin.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await server.gql(SET_TYPING, { t: '00000000-0000-4000-8000-000000000000', on: true }, admin.token))).toBe('NOT_FOUND');
    await server.ok(SUSPEND, { u: banned.id }, admin.token);
    expect(codeOf(await server.gql(SET_TYPING, { t: thread, on: true }, banned.token))).toBe('FORBIDDEN');
    for (let i = 0; i < 3; i += 1) await server.ok(SET_TYPING, { t: thread, on: i % 2 === 0 }, typist.token);
    const refused = await server.gql(SET_TYPING, { t: thread, on: true }, typist.token);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
  });
});
