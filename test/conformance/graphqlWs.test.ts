/**
 * The stock graphql-ws client across a server restart. It retries and
 * subscribes again with the payload it first sent; with the resume recipe
 * (web/src/api/resume.ts `resumingClient`) that payload's `after` reads the
 * last position the subscriber saw, so it gets every event once and misses
 * none. The same client without the recipe subscribes again from its first
 * `after` and gets again everything it had seen: what the recipe fixes.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resumingClient } from '../../web/src/api/resume.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';
import { duplicates, eventPosition, postMessages, README, receivedWithErrors, seedThread } from './support/chat.ts';

let server: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startTestServer('sqlite');
});

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await server?.dispose();
});

/** A graphql-ws client set up as an application would (retrying), noting the `after` of each subscribe message it sends. */
function stockClient(sentAfters: unknown[]): Client {
  const client = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    // The resume recipe's settings. A server that is down (ECONNREFUSED) is an error, not a close event, and graphql-ws
    // gives up on it by default: a reconnect that came before the restart had finished failed that way under CI's load.
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // The client's pause between two connection attempts (its backoff), not a wait of the test's.
    retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
    // Called for every message the client sends, the whole message first (key ''): what `after` went out.
    jsonMessageReplacer: (key, value: unknown) => {
      const message = value as { type?: string; payload?: { variables?: { after?: unknown } } };
      if (key === '' && message.type === 'subscribe') sentAfters.push(message.payload?.variables?.after);
      return value;
    },
  });
  clients.push(client);
  return client;
}

/** Subscribes to the thread's events from `after`; the positions received, in order. */
function subscribe(client: Pick<Client, 'subscribe'>, threadId: string, after: string): { positions: string[]; errors: unknown[] } {
  const received = { positions: [] as string[], errors: [] as unknown[] };
  client.subscribe(
    { query: README.threadEvents, variables: { threadId, after } },
    {
      next: (result) => (result.errors ? received.errors.push(result.errors) : received.positions.push(eventPosition(result))),
      error: (error) => received.errors.push(error),
      complete: () => undefined,
    },
  );
  return received;
}

describe('graphql-ws client, resubscribing after a server restart', () => {
  it('with the resume recipe, resubscribes after the last position it saw: every event once, none missing', async ({ annotate }) => {
    const thread = await seedThread(server, 'ws_restart', 3);
    const sentByResuming: unknown[] = [];
    const resuming = subscribe(resumingClient(stockClient(sentByResuming)), thread.threadId, thread.createdAt);
    const plain = subscribe(stockClient([]), thread.threadId, thread.createdAt);
    await waitFor(() => resuming.positions.length === 3 && plain.positions.length === 3, { what: 'both subscribers to receive the 3 messages' });

    await server.restart();
    const later = await postMessages(server, thread, 2);
    const last = later.at(-1);
    await waitFor(() => resuming.positions.at(-1) === last && plain.positions.at(-1) === last, {
      what: `both subscribers to reach position ${last}`,
      seen: () => `recipe ${receivedWithErrors(resuming.positions, resuming.errors)}; stock ${receivedWithErrors(plain.positions, plain.errors)}`,
    });

    expect(resuming.errors).toEqual([]);
    expect(resuming.positions).toEqual([...thread.messages, ...later]);
    // It did reconnect, and asked to resume after the last message it had before the restart.
    expect(sentByResuming).toEqual([thread.createdAt, thread.messages.at(-1)]);
    await annotate(`without the recipe the same client received ${duplicates(plain.positions)} duplicates (${plain.positions.join(', ')})`);
  });
});
