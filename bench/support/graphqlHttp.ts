/**
 * A GraphQL-over-HTTP client for load generation: node:http with a
 * keep-alive agent (one socket per concurrent client), so the bench chooses
 * how many connections carry the load; answers are read by the tests' own
 * client code (GraphQL errors thrown with their codes).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { dataOf, parseAnswer } from '../../test/support/graphqlClient.ts';

export interface GraphqlHttpClient {
  request<T>(query: string, variables?: Readonly<Record<string, unknown>>, token?: string): Promise<T>;
  close(): void;
}

/** The `data` of an answer read off a socket: its GraphQL errors thrown with their codes (test/support/graphqlClient.ts reads every answer). */
export function graphqlData<T>(text: string, status: number | undefined): T {
  return dataOf<T>(parseAnswer<T>(text), { status, text });
}

export function graphqlHttpClient(baseUrl: string, maxSockets = 64): GraphqlHttpClient {
  const url = new URL('/graphql', baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const once = <T>(query: string, variables: Readonly<Record<string, unknown>>, token: string | undefined): Promise<T> => {
    const body = JSON.stringify({ query, variables });
    const headers: http.OutgoingHttpHeaders = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      'content-length': Buffer.byteLength(body),
    };
    if (token) headers.authorization = `Bearer ${token}`;
    return new Promise<T>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve(graphqlData<T>(Buffer.concat(chunks).toString('utf8'), res.statusCode));
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  };
  return {
    request<T>(query: string, variables: Readonly<Record<string, unknown>> = {}, token?: string): Promise<T> {
      return retryStaleSocket(() => once<T>(query, variables, token));
    },
    close() {
      agent.destroy();
    },
  };
}

/**
 * A keep-alive socket the server closed just as it was reused fails with ECONNRESET (or EPIPE)
 * before the request was read: retry once. Safe here: mutations carry an idempotency key, and
 * a probe message keeps its original start time.
 */
function retryStaleSocket<T>(attempt: () => Promise<T>): Promise<T> {
  return attempt().catch((error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ECONNRESET' || code === 'EPIPE') return attempt();
    throw error;
  });
}

/** POSTs a raw body to a baseline server's publish endpoint. */
export function httpPoster(baseUrl: string, path: string, maxSockets = 64): { post(body: string): Promise<void>; close(): void } {
  const url = new URL(path, baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const once = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 || res.statusCode === 204 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    post: (body) => retryStaleSocket(() => once(body)),
    close() {
      agent.destroy();
    },
  };
}

export const REGISTER = `mutation Register($u: String!, $p: String!, $d: String!) {
  register(input: { username: $u, password: $p, displayName: $d }) { token user { id } }
}`;

export const CREATE_THREAD = `mutation CreateThread($title: String!, $key: String!) {
  createThread(input: { title: $title, idempotencyKey: $key }) { thread { id } position }
}`;

export const POST_MESSAGE = `mutation Post($t: ID!, $b: String!, $k: String!) {
  postMessage(input: { threadId: $t, body: $b, idempotencyKey: $k }) { message { id position } position }
}`;

export const THREAD_BY_ID = `query Thread($t: ID!) { thread(id: $t) { id } }`;

export const THREAD_EVENTS = `subscription Events($t: ID!, $after: Position) {
  threadEvents(threadId: $t, after: $after) { ... on MessagePosted { position message { id body } } }
}`;

export interface Registered {
  register: { token: string; user: { id: string } };
}
export interface ThreadCreatedReply {
  createThread: { thread: { id: string }; position: string };
}
export interface MessagePostedReply {
  postMessage: { message: { id: string; position: string }; position: string };
}

/** Registers a fresh user and returns its bearer token. */
export async function registerUser(client: GraphqlHttpClient, prefix: string): Promise<string> {
  const username = `${prefix}${Math.random().toString(36).slice(2, 10)}`.slice(0, 32);
  const reply = await client.request<Registered>(REGISTER, { u: username, p: 'bench-password-1234', d: username });
  return reply.register.token;
}

export async function createThread(client: GraphqlHttpClient, token: string, title: string): Promise<string> {
  const reply = await client.request<ThreadCreatedReply>(CREATE_THREAD, { title, key: `thread-${randomUUID()}` }, token);
  return reply.createThread.thread.id;
}
