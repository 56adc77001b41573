/**
 * The public GraphQL contract, end to end through real sockets: HTTP for
 * queries and mutations, graphql-ws for subscriptions, on every store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/databases.ts';
import { collect, CREATE_THREAD, POST, REGISTER, signUp, startTestServer, THREAD_EVENTS, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';

const kinds = await storeKinds();

interface Posted {
  threadEvents: { position: string; type: string; message?: { id: string; body: string } };
}

describe.each(kinds)('GraphQL API on %s', (kind) => {
  let server: TestServer;
  let alice: { token: string; id: string };
  let bob: { token: string; id: string };

  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signUp(server, 'alice');
    bob = await signUp(server, 'bob');
  });
  afterAll(async () => {
    await server.dispose();
  });

  const newThread = async (title = 'A thread', token = alice.token) =>
    (await server.ok(CREATE_THREAD, { title }, token)).createThread.thread as { id: string; position: string };
  const post = async (threadId: string, body: string, token = alice.token, extra: Record<string, unknown> = {}) =>
    (await server.ok(POST, { t: threadId, b: body, ...extra }, token)).postMessage as { position: string; message: { id: string } };
  const head = async () => {
    const events = (await server.ok('{ events(first: 1000) { position } }')).events as Array<{ position: string }>;
    return events.at(-1)?.position ?? '0';
  };

  describe('accounts', () => {
    it('signs in with the right password, refuses the wrong one with UNAUTHENTICATED, and knows who `me` is', async () => {
      const login = await server.ok('mutation { login(input: { username: "alice", password: "correct horse" }) { token user { username } } }');
      expect(login.login.user.username).toBe('alice');
      const me = await server.ok('{ me { id username displayName } }', {}, login.login.token);
      expect(me.me).toEqual({ id: alice.id, username: 'alice', displayName: 'alice' });
      const wrong = await server.gql('mutation { login(input: { username: "alice", password: "wrong password" }) { token } }');
      expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const nobody = await server.gql('mutation { login(input: { username: "nobody", password: "whatever1" }) { token } }');
      expect(nobody.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect((await server.ok('{ me { id } }')).me).toBeNull();
    });

    it('refuses a taken username with CONFLICT and writes nothing', async () => {
      const before = await head();
      const again = await server.gql(REGISTER, { u: 'alice', p: 'another password', d: 'Other' });
      expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(await head()).toBe(before);
    });

    it('lets exactly one of several concurrent registrations of one username succeed', async () => {
      const attempts = await Promise.all(Array.from({ length: 5 }, () => server.gql(REGISTER, { u: 'racer', p: 'password1', d: 'R' })));
      expect(attempts.filter((a) => a.data?.register).length).toBe(1);
      expect(attempts.filter((a) => a.errors?.[0]?.extensions?.code === 'CONFLICT').length).toBe(4);
    });

    it('revokes a token on logout', async () => {
      const { token } = (await server.ok('mutation { login(input: { username: "bob", password: "correct horse" }) { token } }')).login;
      expect((await server.ok('mutation { logout }', {}, token)).logout).toBe(true);
      expect((await server.ok('{ me { id } }', {}, token)).me).toBeNull();
      const refused = await server.gql(CREATE_THREAD, { title: 'x' }, token);
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('takes the actor from the token, never from input', async () => {
      const thread = await newThread('Whose?', bob.token);
      const view = await server.ok('query ($id: ID!) { thread(id: $id) { createdBy { username } } }', { id: thread.id });
      expect(view.thread.createdBy.username).toBe('bob');
    });
  });

  describe('threads and messages', () => {
    it('creates a thread and posts messages that the next query sees (read-your-writes)', async () => {
      const thread = await newThread('Read your writes');
      const posted = await post(thread.id, '  hello  ');
      const view = await server.ok(
        `query ($id: ID!) { thread(id: $id) { title messageCount position lastActivityAt createdAt
           messages(last: 10) { edges { node { body author { username } position } } } } }`,
        { id: thread.id },
      );
      expect(view.thread.messageCount).toBe(1);
      expect(view.thread.position).toBe(posted.position);
      expect(view.thread.messages.edges.map((e: any) => e.node.body)).toEqual(['hello']);
      expect(Date.parse(view.thread.lastActivityAt)).toBeGreaterThanOrEqual(Date.parse(view.thread.createdAt));
    });

    it('lists threads by most recent activity, paging with cursors', async () => {
      const older = await newThread('Older');
      const newer = await newThread('Newer');
      await post(older.id, 'bump');
      const page1 = await server.ok('{ threads(first: 2) { edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }');
      expect(page1.threads.edges.map((e: any) => e.node.title)).toEqual(['Older', 'Newer']);
      expect(page1.threads.pageInfo.hasNextPage).toBe(true);
      const page2 = await server.ok('query ($after: String) { threads(first: 100, after: $after) { edges { node { id } } } }', {
        after: page1.threads.pageInfo.endCursor,
      });
      const ids = page2.threads.edges.map((e: any) => e.node.id);
      expect(ids).not.toContain(older.id);
      expect(ids).not.toContain(newer.id);
    });

    it('pages a long thread backwards with last/before and forwards with first/after', async () => {
      const thread = await newThread('Long');
      for (let i = 0; i < 120; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => post(thread.id, `m${i + j}`)));
      const q = `query ($id: ID!, $last: Int, $before: String, $first: Int, $after: String) { thread(id: $id) {
        messages(last: $last, before: $before, first: $first, after: $after) { edges { node { body position } } pageInfo { hasPreviousPage hasNextPage startCursor endCursor } } } }`;
      const latest = (await server.ok(q, { id: thread.id, last: 50 })).thread.messages;
      expect(latest.edges).toHaveLength(50);
      expect(latest.pageInfo.hasPreviousPage).toBe(true);
      const older = (await server.ok(q, { id: thread.id, last: 50, before: latest.pageInfo.startCursor })).thread.messages;
      const oldest = (await server.ok(q, { id: thread.id, last: 50, before: older.pageInfo.startCursor })).thread.messages;
      expect(oldest.edges).toHaveLength(20);
      expect(oldest.pageInfo.hasPreviousPage).toBe(false);
      const all = [...oldest.edges, ...older.edges, ...latest.edges].map((e: any) => Number(e.node.position));
      expect(all).toEqual([...all].sort((a, b) => a - b));
      expect(new Set(all).size).toBe(120);
      const forward = (await server.ok(q, { id: thread.id, first: 30, after: oldest.pageInfo.endCursor })).thread.messages;
      expect(forward.edges.map((e: any) => e.node.body)).toEqual(older.edges.slice(0, 30).map((e: any) => e.node.body));
    });

    it('links a reply to the message it answers', async () => {
      const thread = await newThread('Replies');
      const first = await post(thread.id, 'question?');
      const answer = await post(thread.id, 'answer!', bob.token, { r: first.message.id });
      const view = await server.ok('query ($id: ID!) { thread(id: $id) { messages(last: 2) { edges { node { id replyTo { id body } } } } } }', {
        id: thread.id,
      });
      expect(view.thread.messages.edges[1].node).toEqual({ id: answer.message.id, replyTo: { id: first.message.id, body: 'question?' } });
    });

    it('posts once when a mutation is retried with the same idempotencyKey, even concurrently', async () => {
      const thread = await newThread('Retry');
      const results = await Promise.all(Array.from({ length: 5 }, () => post(thread.id, 'only once', alice.token, { key: 'retry-1' })));
      expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
      const again = await post(thread.id, 'only once', alice.token, { key: 'retry-1' });
      expect(again.message.id).toBe(results[0]!.message.id);
      const view = await server.ok('query ($id: ID!) { thread(id: $id) { messageCount } }', { id: thread.id });
      expect(view.thread.messageCount).toBe(1);
      // The same key from another user is that user's own key.
      const bobs = await post(thread.id, 'only once', bob.token, { key: 'retry-1' });
      expect(bobs.message.id).not.toBe(again.message.id);
      // The same key for a different request is refused.
      const reused = await server.gql(POST, { t: thread.id, b: 'something else', key: 'retry-1' }, alice.token);
      expect(reused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      // ...without showing how the server stores keys (scoped to the user id).
      expect(reused.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'idempotencyKey' });
      expect(JSON.stringify(reused.errors)).not.toContain(alice.id);
      const threads = await Promise.all(Array.from({ length: 3 }, () => server.ok(CREATE_THREAD, { title: 'Once', key: 'thread-key' }, alice.token)));
      expect(new Set(threads.map((r) => r.createThread.thread.id)).size).toBe(1);
    });
  });

  describe('bad input', () => {
    const long = (n: number) => 'x'.repeat(n);
    const cases: Array<[string, () => Promise<{ errors?: Array<{ extensions?: { code?: string } }> }>, string]> = [];

    it('refuses every limit with its code and leaves the log unchanged', async () => {
      const thread = await newThread('Limits');
      const other = await newThread('Other');
      const inOther = await post(other.id, 'elsewhere');
      const before = await head();
      const missingId = '00000000-0000-4000-8000-000000000000';
      cases.push(
        ['empty title', () => server.gql(CREATE_THREAD, { title: '   ' }, alice.token), 'BAD_USER_INPUT'],
        ['title of 201', () => server.gql(CREATE_THREAD, { title: long(201) }, alice.token), 'BAD_USER_INPUT'],
        ['empty body', () => server.gql(POST, { t: thread.id, b: ' \n\t ' }, alice.token), 'BAD_USER_INPUT'],
        ['body of 4001', () => server.gql(POST, { t: thread.id, b: long(4001) }, alice.token), 'BAD_USER_INPUT'],
        ['unknown thread', () => server.gql(POST, { t: missingId, b: 'hi' }, alice.token), 'NOT_FOUND'],
        ['malformed thread id', () => server.gql(POST, { t: 'not-an-id', b: 'hi' }, alice.token), 'BAD_USER_INPUT'],
        ['unknown replyTo', () => server.gql(POST, { t: thread.id, b: 'hi', r: missingId }, alice.token), 'NOT_FOUND'],
        ['replyTo in another thread', () => server.gql(POST, { t: thread.id, b: 'hi', r: inOther.message.id }, alice.token), 'BAD_USER_INPUT'],
        ['post without a token', () => server.gql(POST, { t: thread.id, b: 'hi' }), 'UNAUTHENTICATED'],
        ['post with a forged token', () => server.gql(POST, { t: thread.id, b: 'hi' }, 'thrds_forged'), 'UNAUTHENTICATED'],
        ['thread without a token', () => server.gql(CREATE_THREAD, { title: 'x' }), 'UNAUTHENTICATED'],
        ['username too short', () => server.gql(REGISTER, { u: 'ab', p: 'password1', d: 'x' }), 'BAD_USER_INPUT'],
        ['username too long', () => server.gql(REGISTER, { u: long(33), p: 'password1', d: 'x' }), 'BAD_USER_INPUT'],
        ['username with capitals', () => server.gql(REGISTER, { u: 'Alice2', p: 'password1', d: 'x' }), 'BAD_USER_INPUT'],
        ['password of 7', () => server.gql(REGISTER, { u: 'shortpw', p: '1234567', d: 'x' }), 'BAD_USER_INPUT'],
        ['empty display name', () => server.gql(REGISTER, { u: 'nodisplay', p: 'password1', d: ' ' }), 'BAD_USER_INPUT'],
        ['position that is not a number', () => server.gql('{ events(after: "abc") { position } }'), 'BAD_USER_INPUT'],
        ['page too large', () => server.gql('{ threads(first: 1000) { edges { cursor } } }'), 'BAD_USER_INPUT'],
        ['forged cursor', () => server.gql('{ threads(after: "bm9wZQ") { edges { cursor } } }'), 'BAD_USER_INPUT'],
        ['key too long', () => server.gql(POST, { t: thread.id, b: 'hi', key: long(129) }, alice.token), 'BAD_USER_INPUT'],
        [
          'a query nested too deep',
          () => server.gql(`{ threads { edges { node { messages { edges { node { ${'replyTo { '.repeat(8)}id${' }'.repeat(8)} } } } } } } }`),
          'QUERY_TOO_COMPLEX',
        ],
        [
          'a query asking for too much',
          () => server.gql('{ threads(first: 100) { edges { node { messages(last: 500) { edges { node { id body } } } } } } }'),
          'QUERY_TOO_COMPLEX',
        ],
      );
      for (const [name, attempt, code] of cases) {
        const result = await attempt();
        expect(result.errors?.[0]?.extensions?.code, name).toBe(code);
      }
      expect(await head()).toBe(before);
      const view = await server.ok('query ($id: ID!) { thread(id: $id) { messageCount } }', { id: thread.id });
      expect(view.thread.messageCount).toBe(0);
    });

    it('answers the queries a chat client makes, well inside the query limits', async () => {
      const page = await server.gql('{ threads(first: 50) { edges { cursor node { id title messageCount lastActivityAt position createdBy { displayName } } } pageInfo { hasNextPage endCursor } } }');
      expect(page.errors).toBeUndefined();
      const thread = await newThread('Inside the limits');
      const view = await server.gql(
        'query ($id: ID!) { thread(id: $id) { messages(last: 50) { edges { node { id body postedAt author { displayName } replyTo { id body author { displayName } } } } } } }',
        { id: thread.id },
      );
      expect(view.errors).toBeUndefined();
    });

    it('accepts the limits themselves: 200-character titles and 4000-character bodies', async () => {
      const thread = await newThread('t'.repeat(200));
      const posted = await post(thread.id, '🎉'.repeat(4000));
      expect(posted.message.id).toBeTruthy();
    });

    it('returns null for an unknown thread', async () => {
      expect((await server.ok('{ thread(id: "00000000-0000-4000-8000-000000000000") { id } }')).thread).toBeNull();
    });
  });

  describe('subscriptions', () => {
    it('delivers every message of 5 concurrent posters to a subscriber, in position order', async () => {
      const thread = await newThread('Five posters');
      const posters = await Promise.all(['p1', 'p2', 'p3', 'p4', 'p5'].map((u) => signUp(server, `${u}_${kind}`)));
      const client = server.wsClient();
      const total = 5 * 20;
      const sub = collect<Posted>(client, THREAD_EVENTS, { t: thread.id, after: thread.position }, (items) => items.length >= total);
      await waitFor(async () => (await server.health()).subscriptions >= 1, { what: 'the server to count the subscriber, so the posts reach it live' });
      const acknowledged = await Promise.all(
        posters.map(async (p, pi) => {
          const mine: string[] = [];
          for (let i = 0; i < 20; i += 1) mine.push((await post(thread.id, `${pi}:${i}`, p.token)).position);
          return mine;
        }),
      );
      const received = await sub.done;
      const positions = received.map((r) => Number(r.threadEvents.position));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(total);
      expect(new Set(positions)).toEqual(new Set(acknowledged.flat().map(Number)));
      for (let pi = 0; pi < 5; pi += 1) {
        const bodies = received.map((r) => r.threadEvents.message!.body).filter((b) => b.startsWith(`${pi}:`));
        expect(bodies).toEqual(Array.from({ length: 20 }, (_, i) => `${pi}:${i}`));
      }
    });

    it('resumes a subscriber that reconnects with its last position with exactly the missed events', async () => {
      const thread = await newThread('Resume');
      const first = collect<Posted>(server.wsClient(), THREAD_EVENTS, { t: thread.id, after: thread.position }, (items) => items.length >= 3);
      for (let i = 0; i < 3; i += 1) await post(thread.id, `before ${i}`);
      const seen = await first.done;
      const last = seen.at(-1)!.threadEvents.position;
      const missed: string[] = [];
      for (let i = 0; i < 7; i += 1) missed.push((await post(thread.id, `missed ${i}`)).message.id);
      const resumed = collect<Posted>(server.wsClient(), THREAD_EVENTS, { t: thread.id, after: last }, (items) => items.length >= 8);
      await waitFor(() => resumed.items.length >= missed.length, { what: 'the resumed subscriber to replay the 7 missed messages' });
      const live = await post(thread.id, 'live after resume');
      const got = await resumed.done;
      expect(got.map((r) => r.threadEvents.message!.id)).toEqual([...missed, live.message.id]);
    });

    it('joins without a gap: load the thread and its position, post meanwhile, subscribe after that position', async () => {
      const thread = await newThread('Join');
      await post(thread.id, 'old');
      const loaded = await server.ok('query ($id: ID!) { thread(id: $id) { position messages(last: 50) { edges { node { id } } } } }', { id: thread.id });
      const between = await post(thread.id, 'posted between load and subscribe', bob.token);
      const sub = collect<Posted>(server.wsClient(), THREAD_EVENTS, { t: thread.id, after: loaded.thread.position }, (items) => items.length >= 2);
      await waitFor(() => sub.items.length >= 1, { what: 'the subscriber to replay the message posted between load and subscribe' });
      const after = await post(thread.id, 'after subscribe');
      expect((await sub.done).map((r) => r.threadEvents.message!.id)).toEqual([between.message.id, after.message.id]);
    });

    it('replays a thread from the start with ThreadCreated first', async () => {
      const thread = await newThread('From the start');
      await post(thread.id, 'one');
      const got = await collect<Posted>(server.wsClient(), THREAD_EVENTS, { t: thread.id, after: '0' }, (items) => items.length >= 2).done;
      expect(got.map((r) => r.threadEvents.type)).toEqual(['ThreadCreated', 'MessagePosted']);
    });

    it('streams every event type on `events`, with actors', async () => {
      const sub = collect<{ events: { type: string; actor: { username: string } | null } }>(
        server.wsClient(),
        `subscription ($after: Position) { events(after: $after) { type position actor { username } ... on UserRegistered { user { username } } ... on ThreadCreated { thread { title } } ... on MessagePosted { message { body } } } }`,
        { after: (await server.health()).position },
        (items) => items.length >= 3,
      );
      const carol = await signUp(server, `carol_${kind}`);
      const thread = await newThread('Everything', carol.token);
      await post(thread.id, 'hi', carol.token);
      const got = await sub.done;
      expect(got.map((r) => [r.events.type, r.events.actor?.username])).toEqual([
        ['UserRegistered', `carol_${kind}`],
        ['ThreadCreated', `carol_${kind}`],
        ['MessagePosted', `carol_${kind}`],
      ]);
    });

    it('refuses a subscription to an unknown thread with NOT_FOUND', async () => {
      const sub = collect(server.wsClient(), THREAD_EVENTS, { t: '00000000-0000-4000-8000-000000000000' }, () => false, 5000);
      await expect(sub.done).rejects.toThrow(/NOT_FOUND/);
    });

    it('closes a WebSocket that presents an invalid token with 4403', async () => {
      const client = server.wsClient('thrds_not-a-real-token');
      const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
      client.subscribe({ query: '{ me { id } }' }, { next: () => {}, error: () => {}, complete: () => {} });
      expect(await closed).toBe(4403);
    });

    it('serves subscriptions over SSE too', async () => {
      const thread = await newThread('SSE');
      const controller = new AbortController();
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: THREAD_EVENTS, variables: { t: thread.id, after: '0' } }),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      let text = '';
      while (!text.includes('ThreadCreated')) text += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      expect(text).toContain(thread.id);
    });
  });

  it('keeps every acknowledged write across a server restart', async () => {
    const thread = await newThread('Durable');
    const posted = await post(thread.id, 'survives');
    await server.restart();
    const view = await server.ok('query ($id: ID!) { thread(id: $id) { messages(last: 1) { edges { node { id body } } } } }', { id: thread.id });
    expect(view.thread.messages.edges[0].node).toEqual({ id: posted.message.id, body: 'survives' });
    const login = await server.ok('mutation { login(input: { username: "alice", password: "correct horse" }) { user { id } } }');
    expect(login.login.user.id).toBe(alice.id);
  });
});
