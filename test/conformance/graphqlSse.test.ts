/**
 * The stock graphql-sse client (distinct connections mode) against Thrds.
 * A subscription refused at subscribe time reaches it as a result carrying
 * the error, once: no retry loop (a non-200 answer would be retried as a
 * network failure). Across a server restart it retries, and sending the last
 * position it saw as `Last-Event-ID` resumes the stream with every event
 * once and none missing.
 */
import { createClient, type Client, type ClientOptions } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, createResumeCursor, positionOf } from '../../web/src/api/resume.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';
import { eventPosition, postMessages, README, receivedWithErrors, seedThread } from './support/chat.ts';

let server: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startTestServer('sqlite');
});

afterAll(async () => {
  for (const client of clients) client.dispose();
  await server?.dispose();
});

interface Counted {
  readonly client: Client;
  /** Connection attempts, the first included. */
  readonly attempts: () => number;
}

/** A graphql-sse client that counts its connection attempts and retries quickly. */
function stockClient(options: Partial<ClientOptions> = {}): Counted {
  let attempts = 0;
  const client = createClient({
    url: server.url,
    retryAttempts: 5,
    // The client's pause between two attempts (its backoff), not a wait of the test's.
    retry: () => new Promise((resolve) => setTimeout(resolve, 100)),
    on: { connecting: () => void (attempts += 1) },
    ...options,
  });
  clients.push(client);
  return { client, attempts: () => attempts };
}

interface Outcome {
  readonly results: Array<{ data?: unknown; errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }>;
  failure?: unknown;
  completed: boolean;
}

function subscribe(client: Client, variables: Record<string, unknown>): Outcome {
  const outcome: Outcome = { results: [], completed: false };
  client.subscribe(
    { query: README.threadEvents, variables },
    {
      next: (result) => void outcome.results.push(result as Outcome['results'][number]),
      error: (error) => void (outcome.failure = error),
      complete: () => void (outcome.completed = true),
    },
  );
  return outcome;
}

describe('graphql-sse client', () => {
  it('gets an unknown thread as a NOT_FOUND result and completes, without retrying', async () => {
    const { client, attempts } = stockClient();
    const outcome = subscribe(client, { threadId: '00000000-0000-4000-8000-000000000000' });
    await waitFor(() => outcome.completed || outcome.failure !== undefined, { what: 'the subscription to end' });
    expect(outcome.failure).toBeUndefined();
    expect(outcome.results).toHaveLength(1);
    expect(outcome.results[0]!.errors?.map((error) => error.extensions?.['code'])).toEqual(['NOT_FOUND']);
    expect(attempts()).toBe(1);
  });

  it('gets an `after` that is not a position as a BAD_USER_INPUT result and completes, without retrying', async () => {
    const thread = await seedThread(server, 'sse_bad_after', 0);
    const { client, attempts } = stockClient();
    const outcome = subscribe(client, { threadId: thread.threadId, after: 'yesterday' });
    await waitFor(() => outcome.completed || outcome.failure !== undefined, { what: 'the subscription to end' });
    expect(outcome.failure).toBeUndefined();
    expect(outcome.results.map((result) => result.errors?.map((error) => error.extensions?.['code']))).toEqual([['BAD_USER_INPUT']]);
    expect(attempts()).toBe(1);
  });

  it('resumes over Last-Event-ID after a server restart: every event once, none missing', async () => {
    const thread = await seedThread(server, 'sse_restart', 3);
    // The last position seen, sent as Last-Event-ID on every (re)connection, as EventSource does by itself.
    const seen = createResumeCursor();
    const sentLastEventIds: Array<string | null> = [];
    const { client, attempts } = stockClient({
      // A restart is retried for as long as it takes (the test's wait bounds it): five tries 100 ms apart fit in a quick restart only.
      retryAttempts: Infinity,
      headers: () => {
        sentLastEventIds.push(seen.current);
        return seen.current === null ? {} : { 'last-event-id': seen.current };
      },
    });
    const positions: string[] = [];
    const errors: unknown[] = [];
    client.subscribe(
      { query: README.threadEvents, variables: { threadId: thread.threadId, after: thread.createdAt } },
      {
        next: (result) => {
          if (result.errors) errors.push(result.errors);
          const position = positionOf(result);
          if (position !== null) advance(seen, position);
          positions.push(eventPosition(result));
        },
        error: (error) => errors.push(error),
        complete: () => undefined,
      },
    );
    await waitFor(() => positions.length === 3, { what: 'the 3 messages', seen: () => positions.join(',') });

    await server.restart();
    const later = await postMessages(server, thread, 2);
    await waitFor(() => positions.at(-1) === later.at(-1), { what: `position ${later.at(-1)}`, seen: () => receivedWithErrors(positions, errors) });

    expect(errors).toEqual([]);
    expect(positions).toEqual([...thread.messages, ...later]);
    expect(attempts()).toBeGreaterThanOrEqual(2);
    expect(sentLastEventIds[0]).toBeNull();
    expect(sentLastEventIds.at(-1)).toBe(thread.messages.at(-1));
  });
});
