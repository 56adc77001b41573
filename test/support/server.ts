/** A real Thrds server on a free port, with an HTTP GraphQL client and graphql-ws clients. */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { ServerConfig } from '../../src/config.ts';
import { buildApp, type App } from '../../src/server.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { relaxedProtection } from './protection.ts';
import { createTestDatabase, type StoreKind, type TestDatabase } from './databases.ts';
import { graphqlClient, type GraphQLClient, type GraphQLResponse } from './graphqlClient.ts';

export type { GraphQLResponse } from './graphqlClient.ts';

export interface TestServer {
  readonly url: string;
  readonly wsUrl: string;
  readonly database: TestDatabase;
  /**
   * The log's head position as the store has it. /healthz's `position` is the server's feed, which
   * learns of a commit a moment after it is acknowledged: a "writes nothing" check reads this.
   */
  logHead(): Promise<string>;
  /** What /healthz reports. */
  health(): Promise<{ position: string; connections: number; subscriptions: number; sharedExecutions: number; sseConnections: number; sseSubscriptions: number }>;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  /** The whole answer (status, headers, body), for tests about the transport. */
  post: GraphQLClient['post'];
  /** gql that fails the test on errors. */
  ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  wsClient(token?: string, options?: { retryAttempts?: number }): Client;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startTestServer(kind: StoreKind, database?: TestDatabase, overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const db = database ?? (await createTestDatabase(kind));
  // No quiet period on stop: nothing balances load in front of a test server.
  const config = { host: '127.0.0.1', databaseUrl: db.url, serveWeb: false, pollMs: 100, protection: relaxedProtection(), drainQuietMs: 0, ...overrides };
  let app: App = buildApp({ ...config, port: 0 });
  let { port } = await app.start();
  const clients: Client[] = [];
  const http = graphqlClient(() => server.url);
  const server: TestServer = {
    get url() {
      return `http://127.0.0.1:${port}/graphql`;
    },
    get wsUrl() {
      return `ws://127.0.0.1:${port}/graphql`;
    },
    database: db,
    async logHead() {
      const store = await openDatabase(db.url);
      try {
        const [row] = await store.query<{ position: number | string }>('SELECT position FROM log_head WHERE id = 1');
        return String(row?.position ?? 0);
      } finally {
        await store.close();
      }
    },
    async health() {
      return (await (await fetch(server.url.replace('/graphql', '/healthz'))).json()) as Awaited<ReturnType<TestServer['health']>>;
    },
    post: (query, variables, options) => http.post(query, variables, options),
    gql: (query, variables, token) => http.gql(query, variables, token),
    ok: (query, variables, token) => http.ok(query, variables, token),
    wsClient(token, options = {}) {
      const client = createClient({
        url: server.wsUrl,
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: options.retryAttempts ?? 0,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      });
      clients.push(client);
      return client;
    },
    async restart() {
      await app.stop();
      app = buildApp({ ...config, port });
      ({ port } = await app.start());
    },
    async dispose() {
      for (const client of clients) await client.dispose();
      await app.stop();
      if (!database) await db.drop();
    },
  };
  return server;
}

/** Collects a subscription's results until `until` says stop (or the timeout passes). */
export function collect<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  until: (items: T[]) => boolean,
  timeoutMs = 20_000,
): { done: Promise<T[]>; items: T[]; stop: () => void } {
  const items: T[] = [];
  let stop = () => {};
  const done = new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`subscription timed out with ${items.length} items`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      stop();
      resolve(items);
    };
    stop = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) {
            clearTimeout(timer);
            reject(new Error(JSON.stringify(result.errors)));
            return;
          }
          items.push(result.data as T);
          if (until(items)) finish();
        },
        error: (error) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        },
        complete: () => {
          clearTimeout(timer);
          resolve(items);
        },
      },
    );
    if (until(items)) finish();
  });
  return { done, items, stop: () => stop() };
}

export const REGISTER = `mutation ($u: String!, $p: String!, $d: String!) {
  register(input: { username: $u, password: $p, displayName: $d }) { token user { id username displayName } }
}`;
export const CREATE_THREAD = `mutation ($title: String!, $key: String) {
  createThread(input: { title: $title, idempotencyKey: $key }) { position thread { id title position messageCount createdBy { username } } }
}`;
export const POST = `mutation ($t: ID!, $b: String!, $r: ID, $key: String) {
  postMessage(input: { threadId: $t, body: $b, replyToId: $r, idempotencyKey: $key }) { position message { id body position author { username } replyTo { id } } }
}`;
export const THREAD_EVENTS = `subscription ($t: ID!, $after: Position) {
  threadEvents(threadId: $t, after: $after) {
    ... on MessagePosted { position type message { id body author { username } } }
    ... on ThreadCreated { position type thread { id } }
  }
}`;

export async function signUp(server: TestServer, username: string): Promise<{ token: string; id: string }> {
  const data = await server.ok<{ register: { token: string; user: { id: string } } }>(REGISTER, { u: username, p: 'correct horse', d: username });
  return { token: data.register.token, id: data.register.user.id };
}
