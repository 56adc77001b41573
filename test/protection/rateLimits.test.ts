/**
 * Posting and thread creation under the real default limits
 * (`protectionFromEnv({})`: 20 posts per 10 s, 10 threads per 10 min, per
 * user), through real sockets on both stores: the refusal is RATE_LIMITED
 * with `retryAfter`, HTTP says the same in `Retry-After`, and nothing past
 * the limit is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protectionFromEnv } from '../../src/protection/protectionConfig.ts';
import { storeKinds } from '../support/databases.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';

const kinds = await storeKinds();

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

describe.each(kinds)('rate limits over HTTP on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, undefined, { protection: protectionFromEnv({}) });
  });
  afterAll(async () => {
    await server.dispose();
  });

  /** A JSON POST: the fast path. */
  const postJson = async (query: string, variables: Record<string, unknown>, token: string): Promise<Answer> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
  };

  /** An `application/graphql` POST: not the fast path's media type, so yoga answers it. */
  const postGraphql = async (document: string, token: string): Promise<Answer> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/graphql', accept: 'application/json', authorization: `Bearer ${token}` },
      body: document,
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
  };

  const messageCount = async (threadId: string): Promise<number> => {
    const data = await server.ok<{ thread: { messageCount: number } }>('query ($id: ID!) { thread(id: $id) { messageCount } }', { id: threadId });
    return data.thread.messageCount;
  };

  const expectRateLimited = (answer: Answer, windowSeconds = 10) => {
    expect(answer.status).toBe(200);
    const error = answer.body.errors?.[0];
    expect(error?.extensions?.code).toBe('RATE_LIMITED');
    const retryAfter = error?.extensions?.retryAfter;
    expect(typeof retryAfter).toBe('number');
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    expect(answer.retryAfter).toBe(String(retryAfter));
    // yoga's internal `http` extension carries the header; it never reaches the client.
    expect(JSON.stringify(answer.body)).not.toContain('"http"');
  };

  it('refuses the 21st post of a burst from one user with RATE_LIMITED, retryAfter and Retry-After, and stores 20 messages, not 21', async () => {
    const user = await signUp(server, `burst_${kind}`);
    const thread = await server.ok<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, { title: 'Burst' }, user.token);
    const threadId = thread.createThread.thread.id;
    const before = BigInt((await server.logHead()));

    const answers = await Promise.all(Array.from({ length: 21 }, (_, i) => postJson(POST, { t: threadId, b: `burst ${i}` }, user.token)));

    const posted = answers.filter((a) => a.body.data?.postMessage);
    const refused = answers.filter((a) => a.body.errors?.length);
    expect(posted).toHaveLength(20);
    expect(refused).toHaveLength(1);
    expectRateLimited(refused[0]!);
    for (const ok of posted) expect(ok.retryAfter).toBeNull();
    expect(await messageCount(threadId)).toBe(20);
    expect(BigInt((await server.logHead())) - before).toBe(20n);
  });

  it("keeps one user's limit from touching another's: a second user posts while the first is refused", async () => {
    const greedy = await signUp(server, `greedy_${kind}`);
    const other = await signUp(server, `other_${kind}`);
    const thread = await server.ok<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, { title: 'Shared' }, greedy.token);
    const threadId = thread.createThread.thread.id;
    for (let i = 0; i < 20; i++) await postJson(POST, { t: threadId, b: `mine ${i}` }, greedy.token);
    expectRateLimited(await postJson(POST, { t: threadId, b: 'one more' }, greedy.token));
    const theirs = await postJson(POST, { t: threadId, b: 'my turn' }, other.token);
    expect(theirs.body.errors).toBeUndefined();
    expect(await messageCount(threadId)).toBe(21);
  });

  it('sets Retry-After on yoga\'s path too (an application/graphql POST), with nothing written', async () => {
    const user = await signUp(server, `yoga_${kind}`);
    const thread = await server.ok<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, { title: 'Yoga path' }, user.token);
    const threadId = thread.createThread.thread.id;
    const post = (i: number) => `mutation { postMessage(input: { threadId: "${threadId}", body: "via yoga ${i}" }) { position } }`;
    for (let i = 0; i < 20; i++) {
      const answer = await postGraphql(post(i), user.token);
      expect(answer.body.errors).toBeUndefined();
    }
    const before = (await server.logHead());
    expectRateLimited(await postGraphql(post(20), user.token));
    expect((await server.logHead())).toBe(before);
    expect(await messageCount(threadId)).toBe(20);
  });

  it('refuses the 11th thread from one user within ten minutes, and creates 10', async () => {
    const user = await signUp(server, `opener_${kind}`);
    const answers = await Promise.all(Array.from({ length: 11 }, (_, i) => postJson(CREATE_THREAD, { title: `Thread ${i}` }, user.token)));
    const created = answers.filter((a) => a.body.data?.createThread);
    const refused = answers.filter((a) => a.body.errors?.length);
    expect(created).toHaveLength(10);
    expect(refused).toHaveLength(1);
    expectRateLimited(refused[0]!, 600);
    expect(refused[0]!.body.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(10); // the window is 10 minutes
    const mine = await server.ok<{ threads: { edges: Array<{ node: { createdBy: { username: string } } }> } }>(
      '{ threads(first: 100) { edges { node { createdBy { username } } } } }',
    );
    expect(mine.threads.edges.filter((e) => e.node.createdBy.username === `opener_${kind}`)).toHaveLength(10);
  });
});
