/** What the unread and mention tests share: their operations, and a live subscription over SSE or WebSocket that collects its results. */
import { createClient as createSseClient } from 'graphql-sse';
import type { TestServer } from '../../support/server.ts';
import { waitFor } from '../../support/waitFor.ts';

export const COUNTS = `query ($t: ID!) { thread(id: $t) { id position unreadCount unreadMentionCount lastReadPosition } unreadThreads }`;
export const MARK_READ = `mutation ($t: ID!, $p: Position!) { markRead(input: { threadId: $t, position: $p }) { id unreadCount lastReadPosition } }`;
export const EDIT = `mutation ($m: ID!, $b: String!) { editMessage(input: { messageId: $m, body: $b }) { position } }`;
export const DELETE = `mutation ($m: ID!) { deleteMessage(input: { messageId: $m }) { position } }`;
export const MENTIONS_OF = `query ($t: ID!) { thread(id: $t) { messages(last: 50) { edges { node { id body mentions { username } } } } } }`;
export const MY_MENTIONS = `query ($first: Int, $after: String) { mentions(first: $first, after: $after) { edges { cursor node { id body } } pageInfo { hasNextPage endCursor } } }`;
export const MY_THREADS = `subscription { myThreads { reason position thread { id unreadCount unreadMentionCount lastReadPosition } } }`;

export interface Update {
  readonly reason: string;
  readonly position: string | null;
  readonly thread: { readonly id: string; readonly unreadCount: number; readonly unreadMentionCount: number; readonly lastReadPosition: string | null };
}

export interface Live {
  readonly items: Update[];
  readonly errors: unknown[];
  /** Waits until an update satisfies `match`, and returns it. */
  until(what: string, match: (update: Update) => boolean): Promise<Update>;
  stop(): void;
}

type Sink = { next: (result: { data?: unknown; errors?: unknown }) => void; error: (error: unknown) => void; complete: () => void };
type Subscribe = (payload: { query: string }, sink: Sink) => () => void;

function collecting(subscribe: Subscribe): Live {
  const items: Update[] = [];
  const errors: unknown[] = [];
  const stop = subscribe(
    { query: MY_THREADS },
    {
      next: (result) => {
        if (result.errors) errors.push(result.errors);
        else items.push((result.data as { myThreads: Update }).myThreads);
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return {
    items,
    errors,
    stop,
    until: (what, match) =>
      waitFor(
        () => {
          if (errors.length > 0) throw new Error(`myThreads failed: ${JSON.stringify(errors)}`);
          return items.find(match);
        },
        { what, seen: () => JSON.stringify(items) },
      ),
  };
}

/** `myThreads` over SSE (graphql-sse's distinct connections mode: one stream per subscription). */
export function myThreadsOverSse(server: TestServer, token?: string): Live & { dispose(): void } {
  const client = createSseClient({ url: server.url, retryAttempts: 0, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const live = collecting((payload, sink) => client.subscribe(payload, sink as never));
  return { ...live, dispose: () => client.dispose() };
}

/** `myThreads` over the WebSocket gateway. */
export function myThreadsOverWebSocket(server: TestServer, token?: string): Live {
  const client = server.wsClient(token);
  return collecting((payload, sink) => client.subscribe(payload, sink as never));
}

/** Waits until /healthz counts `n` live subscriptions (SSE and WebSocket), so what follows reaches them. */
export async function subscribed(server: TestServer, n: number): Promise<void> {
  await waitFor(
    async () => {
      const health = await server.health();
      return health.subscriptions + health.sseSubscriptions >= n;
    },
    { what: `${n} live subscriptions` },
  );
}
