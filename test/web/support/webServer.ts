/**
 * A real Thrds server for browser tests: its own SQLite file, a free port,
 * the built web app at `/`, plus a small GraphQL-over-HTTP client for seeding.
 */
import type { ServerConfig } from '../../../src/config.ts';
import { buildApp, type App } from '../../../src/server.ts';
import { relaxedProtection } from '../../support/protection.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';

export interface WebServer {
  readonly baseUrl: string;
  /** The server's store (`sqlite:<file>`), for tests that take the file's lock from outside. */
  readonly databaseUrl: string;
  /** Sends one operation; throws on GraphQL errors. */
  gql<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startWebServer(overrides: Partial<ServerConfig> = {}): Promise<WebServer> {
  const database: TestDatabase = await createTestDatabase('sqlite');
  const app: App = buildApp({ port: 0, host: '127.0.0.1', databaseUrl: database.url, serveWeb: true, pollMs: 100, protection: relaxedProtection(), drainQuietMs: 0, ...overrides });
  const { port } = await app.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    databaseUrl: overrides.databaseUrl ?? database.url,
    async gql<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
      const response = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: unknown[] };
      if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    async stop() {
      await app.stop();
      await database.drop();
    },
  };
}

export interface Account {
  readonly token: string;
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
}

let accounts = 0;

/** Registers through the API: faster than the form, for tests about something else. */
export async function register(server: WebServer, displayName: string): Promise<Account> {
  const username = `${displayName.toLowerCase().replace(/[^a-z0-9]/g, '')}_${process.pid}_${++accounts}`.slice(0, 32);
  const data = await server.gql<{ register: { token: string; user: { id: string } } }>(
    `mutation ($input: RegisterInput!) { register(input: $input) { token user { id } } }`,
    { input: { username, password: 'correct horse battery', displayName } },
  );
  return { token: data.register.token, userId: data.register.user.id, username, displayName };
}

export async function createThread(server: WebServer, account: Account, title: string): Promise<string> {
  const data = await server.gql<{ createThread: { thread: { id: string } } }>(
    `mutation ($input: CreateThreadInput!) { createThread(input: $input) { thread { id } } }`,
    { input: { title } },
    account.token,
  );
  return data.createThread.thread.id;
}

export async function postMessage(server: WebServer, account: Account, threadId: string, body: string): Promise<string> {
  const data = await server.gql<{ postMessage: { message: { id: string } } }>(
    `mutation ($input: PostMessageInput!) { postMessage(input: $input) { message { id } } }`,
    { input: { threadId, body } },
    account.token,
  );
  return data.postMessage.message.id;
}
