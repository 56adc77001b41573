/**
 * @urql/core with the normalized cache (@urql/exchange-graphcache, no
 * configuration: no `keys`, no schema) and subscriptions over graphql-ws:
 * the README's operations are cached without a single "Invalid key"
 * warning (every object they select has an `id`, events included), and the
 * threadEvents subscription, set up with the resume recipe, comes through a
 * server restart with every event once and none missing.
 */
import { Client, fetchExchange, subscriptionExchange, type AnyVariables, type ExecutionResult } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resumingClient } from '../../web/src/api/resume.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';
import { postMessages, README, receivedWithErrors } from './support/chat.ts';

let server: TestServer;
let ws: WsClient;
let token: string | undefined;
const warnings: string[] = [];

beforeAll(async () => {
  server = await startTestServer('sqlite');
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
});

afterEach(() => {
  warnings.length = 0;
});

afterAll(async () => {
  vi.restoreAllMocks();
  await ws?.dispose();
  await server?.dispose();
});

/** An urql client as the urql docs set one up with graphcache and graphql-ws, plus the resume recipe. */
function urqlClient(): Client {
  ws = createWsClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: () => (token ? { authorization: `Bearer ${token}` } : {}),
    // The resume recipe's settings. A server that is down (ECONNREFUSED) is an error, not a close event, and graphql-ws
    // gives up on it by default: a reconnect that came before the restart had finished failed that way under CI's load.
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // The client's pause between two connection attempts (its backoff), not a wait of the test's.
    retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
  });
  const resuming = resumingClient(ws);
  return new Client({
    url: server.url,
    fetchOptions: () => (token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    exchanges: [
      cacheExchange(),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: resuming.subscribe({ ...request, query: request.query ?? '' }, { next: (result) => sink.next(result as ExecutionResult), error: (error) => sink.error(error), complete: () => sink.complete() }),
          }),
        }),
      }),
    ],
  });
}

async function run<T>(client: Client, kind: 'query' | 'mutation', document: string, variables: AnyVariables = {}): Promise<T> {
  const result = kind === 'query' ? await client.query<T>(document, variables).toPromise() : await client.mutation<T>(document, variables).toPromise();
  if (result.error) throw result.error;
  return result.data!;
}

const invalidKeys = () => warnings.filter((warning) => warning.includes('Invalid key'));

describe('urql with graphcache and graphql-ws', () => {
  it("caches the README's operations without one Invalid key warning, and resumes threadEvents across a restart with every event once", async () => {
    const client = urqlClient();
    token = (await run<{ register: { token: string } }>(client, 'mutation', README.register, { username: 'urql_user', password: 'correct horse', displayName: 'Urql' })).register.token;
    const created = await run<{ createThread: { position: string; thread: { id: string } } }>(client, 'mutation', README.createThread, { title: 'Cached', idempotencyKey: 'urql-1' });
    const threadId = created.createThread.thread.id;
    const thread = { token, threadId };
    const before = await postMessages(server, thread, 2);
    await run(client, 'mutation', README.postMessage, { threadId, body: 'through urql', idempotencyKey: 'urql-2' });
    const threads = await run<{ threads: { edges: Array<{ node: { id: string } }> } }>(client, 'query', README.threads);
    expect(threads.threads.edges.map((edge) => edge.node.id)).toContain(threadId);
    const read = await run<{ thread: { messages: { edges: Array<{ node: { body: string } }> } } }>(client, 'query', README.thread, { id: threadId });
    expect(read.thread.messages.edges.map((edge) => edge.node.body)).toEqual(['message 1', 'message 2', 'through urql']);

    const positions: string[] = [];
    const errors: unknown[] = [];
    const subscription = client.subscription<{ threadEvents: { position: string } }>(README.threadEvents, { threadId, after: created.createThread.position }).subscribe((result) => {
      if (result.error) errors.push(result.error);
      if (result.data) positions.push(result.data.threadEvents.position);
    });
    await waitFor(() => positions.length === 3, { what: 'the 3 messages', seen: () => positions.join(',') });
    const seenBefore = [...positions];

    await server.restart();
    const later = await postMessages(server, thread, 2);
    await waitFor(() => positions.at(-1) === later.at(-1), { what: `position ${later.at(-1)}`, seen: () => receivedWithErrors(positions, errors) });
    subscription.unsubscribe();

    expect(errors).toEqual([]);
    expect(seenBefore.slice(0, 2)).toEqual(before);
    expect(positions).toEqual([...seenBefore, ...later]);
    expect(invalidKeys()).toEqual([]);
  });
});
