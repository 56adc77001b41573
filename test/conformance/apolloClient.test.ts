/**
 * Apollo Client 4 (InMemoryCache with no type policies, only the
 * `possibleTypes` Apollo's docs generate from introspection; HttpLink for
 * queries and mutations, GraphQLWsLink over graphql-ws for subscriptions)
 * runs the README's operations without a warning, and its threadEvents subscription, set up
 * with the resume recipe (`resumingClient` around the graphql-ws client),
 * comes through a server restart with every event once and none missing.
 */
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resumingClient } from '../../web/src/api/resume.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';
import { postMessages, README, receivedWithErrors } from './support/chat.ts';

let server: TestServer;
let ws: WsClient;
let token: string | undefined;
/** What Apollo warned or complained about (cache data it could not normalize or merge, missing fields). */
const complaints: string[] = [];

beforeAll(async () => {
  server = await startTestServer('sqlite');
  for (const level of ['warn', 'error'] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void complaints.push(args.map(String).join(' ')));
});

afterAll(async () => {
  vi.restoreAllMocks();
  await ws?.dispose();
  await server?.dispose();
});

/** Unions and interfaces with their member types, as Apollo's docs generate them from introspection. */
async function possibleTypes(): Promise<Record<string, string[]>> {
  const introspected = await server.ok<{ __schema: { types: Array<{ name: string; possibleTypes: Array<{ name: string }> | null }> } }>('{ __schema { types { name possibleTypes { name } } } }');
  return Object.fromEntries(introspected.__schema.types.filter((type) => type.possibleTypes).map((type) => [type.name, type.possibleTypes!.map((member) => member.name)]));
}

/** An Apollo client as its docs set one up for HTTP plus graphql-ws, plus the resume recipe. */
async function apolloClient(): Promise<ApolloClient> {
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
  const http = new HttpLink({ uri: server.url });
  const authorized = new ApolloLink((operation, forward) => {
    if (token) operation.setContext({ headers: { authorization: `Bearer ${token}` } });
    return forward(operation);
  });
  const subscriptions = new GraphQLWsLink(resumingClient(ws));
  return new ApolloClient({
    cache: new InMemoryCache({ possibleTypes: await possibleTypes() }),
    link: ApolloLink.split((operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION, subscriptions, authorized.concat(http)),
  });
}

describe('Apollo Client with InMemoryCache and GraphQLWsLink', () => {
  it("runs the README's operations, and resumes threadEvents across a restart with every event once", async () => {
    const client = await apolloClient();
    const registered = await client.mutate<{ register: { token: string } }>({ mutation: gql(README.register), variables: { username: 'apollo_user', password: 'correct horse', displayName: 'Apollo' } });
    token = registered.data!.register.token;
    const created = await client.mutate<{ createThread: { position: string; thread: { id: string } } }>({ mutation: gql(README.createThread), variables: { title: 'Normalized', idempotencyKey: 'apollo-1' } });
    const threadId = created.data!.createThread.thread.id;
    const thread = { token, threadId };
    await postMessages(server, thread, 2);
    await client.mutate({ mutation: gql(README.postMessage), variables: { threadId, body: 'through Apollo', idempotencyKey: 'apollo-2' } });
    const threads = await client.query<{ threads: { edges: Array<{ node: { id: string } }> } }>({ query: gql(README.threads) });
    expect(threads.data!.threads.edges.map((edge) => edge.node.id)).toContain(threadId);
    const read = await client.query<{ thread: { messages: { edges: Array<{ node: { body: string } }> } } }>({ query: gql(README.thread), variables: { id: threadId } });
    expect(read.data!.thread.messages.edges.map((edge) => edge.node.body)).toEqual(['message 1', 'message 2', 'through Apollo']);

    const positions: string[] = [];
    const errors: unknown[] = [];
    const subscription = client.subscribe<{ threadEvents: { position: string } }>({ query: gql(README.threadEvents), variables: { threadId, after: created.data!.createThread.position } }).subscribe({
      next: (result) => {
        if (result.error) errors.push(result.error);
        if (result.data) positions.push(result.data.threadEvents.position);
      },
      error: (error: unknown) => errors.push(error),
    });
    await waitFor(() => positions.length === 3, { what: 'the 3 messages', seen: () => positions.join(',') });
    const seenBefore = [...positions];

    await server.restart();
    const later = await postMessages(server, thread, 2);
    await waitFor(() => positions.at(-1) === later.at(-1), { what: `position ${later.at(-1)}`, seen: () => receivedWithErrors(positions, errors) });
    subscription.unsubscribe();

    expect(errors).toEqual([]);
    expect(positions).toEqual([...seenBefore, ...later]);
    expect(complaints).toEqual([]);
  });
});
