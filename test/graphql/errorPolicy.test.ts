/**
 * The one error policy, through every door of a real server: a bug in a
 * resolver (here: reading one user's row fails) reaches the client masked
 * (INTERNAL_SERVER_ERROR, nothing of the cause) and the server log exactly
 * once, in full, under the id of the request that met it. yoga sees such an
 * error twice (its error hook, then its logger when masking replaces it);
 * the policy keeps that to one line. Fan-out logs once per event and group,
 * under the event's position, however many subscribers share the result.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReadCache } from '../../src/projections/readCache.ts';
import { captureLogs, type CapturedLogs, type LogLine } from '../support/captureLogs.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';
import { initialise, openRaw } from '../realtime/support/rawWebSocket.ts';

const ME = '{ me { id username } }';
const MASKED = { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
const REPLY_AUTHORS = `subscription ($t: ID!) {
  threadEvents(threadId: $t) { ... on MessagePosted { position message { id replyTo { author { username } } } } }
}`;

describe('each unexpected error is logged once, with its request id, on every transport', () => {
  let server: TestServer;
  let victim: { token: string; id: string };
  let poster: { token: string; id: string };
  let thread: { id: string };
  let victimsMessage: { id: string };
  let logs: CapturedLogs | undefined;
  const original = ReadCache.prototype.usersByIds;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    victim = await signUp(server, 'victim');
    poster = await signUp(server, 'poster');
    thread = (await server.ok<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, { title: 'Fan-out' }, poster.token)).createThread.thread;
    victimsMessage = (await server.ok<{ postMessage: { message: { id: string } } }>(POST, { t: thread.id, b: 'by the victim' }, victim.token)).postMessage.message;
    // Reading the victim's row is a bug from now on (in every ReadCache: the test server runs in this process).
    ReadCache.prototype.usersByIds = async function (this: ReadCache, ids: readonly string[]) {
      if (ids.includes(victim.id)) throw new Error('the users table is on fire');
      return original.call(this, ids);
    };
  });
  afterAll(async () => {
    ReadCache.prototype.usersByIds = original;
    await server?.dispose();
  });
  afterEach(() => {
    logs?.stop();
    logs = undefined;
  });

  /** Everything logged at warn or above while `run` ran. */
  const logged = async (run: () => Promise<void>): Promise<LogLine[]> => {
    logs = captureLogs('warn');
    await run();
    logs.stop();
    return logs.lines;
  };
  const expectOneBug = (lines: LogLine[], requestId: string) => {
    expect(lines.map((line) => ({ level: line.level, requestId: line.requestId, msg: line.msg }))).toEqual([{ level: 'error', requestId, msg: 'unexpected error' }]);
    expect(lines[0]?.err?.stack).toContain('the users table is on fire');
  };
  const httpAnswer = async (response: Response) => {
    const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
    expect(response.status).toBe(200);
    expect(body).toEqual({ data: { me: null }, errors: [expect.objectContaining(MASKED)] });
    expect(JSON.stringify(body)).not.toContain('fire');
  };

  it.each([
    ['the JSON fast path', '/graphql'],
    ['yoga (a POST the fast path does not take)', '/graphql?via=yoga'],
  ])('%s', async (_name, path) => {
    const requestId = `policy-post-${path.length}`;
    const lines = await logged(async () => {
      const response = await fetch(server.url.replace('/graphql', path), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${victim.token}`, 'x-request-id': requestId },
        body: JSON.stringify({ query: ME }),
      });
      await httpAnswer(response);
    });
    expectOneBug(lines, requestId);
  });

  it('yoga over GET', async () => {
    const lines = await logged(async () => {
      const response = await fetch(`${server.url}?${new URLSearchParams({ query: ME })}`, {
        headers: { accept: 'application/json', authorization: `Bearer ${victim.token}`, 'x-request-id': 'policy-get' },
      });
      await httpAnswer(response);
    });
    expectOneBug(lines, 'policy-get');
  });

  it('a query over SSE', async () => {
    const lines = await logged(async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${victim.token}`, 'x-request-id': 'policy-sse' },
        body: JSON.stringify({ query: ME }),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(JSON.parse(/event: next\ndata: (.*)\n/.exec(text)?.[1] ?? 'null')).toEqual({ data: { me: null }, errors: [expect.objectContaining(MASKED)] });
      expect(text).not.toContain('fire');
    });
    expectOneBug(lines, 'policy-sse');
  });

  it('a query over WebSocket', async () => {
    const lines = await logged(async () => {
      const ws = await openRaw(Number(new URL(server.url).port), { headers: { 'X-Request-Id': 'policy-ws' } });
      await initialise(ws, victim.token);
      ws.sendJson({ id: 'who', type: 'subscribe', payload: { query: ME } });
      const reply = await ws.next((m) => m.id === 'who' && m.type === 'next');
      expect(reply.payload).toEqual({ data: { me: null }, errors: [expect.objectContaining(MASKED)] });
      ws.socket.destroy();
      await ws.ended;
    });
    expectOneBug(lines, 'policy-ws:who');
  });

  it('a subscription event shared by two WebSocket subscribers: once for the group, under the event', async () => {
    const lines = await logged(async () => {
      const sockets = await Promise.all(['fan-a', 'fan-b'].map((id) => openRaw(Number(new URL(server.url).port), { headers: { 'X-Request-Id': id } })));
      for (const ws of sockets) {
        await initialise(ws);
        ws.sendJson({ id: 'events', type: 'subscribe', payload: { query: REPLY_AUTHORS, variables: { t: thread.id } } });
      }
      await waitForSubscriptions(server, 2);
      const { position } = (await server.ok<{ postMessage: { position: string } }>(POST, { t: thread.id, b: 'a reply', r: victimsMessage.id }, poster.token)).postMessage;
      for (const ws of sockets) {
        const event = await ws.next((m) => m.id === 'events' && m.type === 'next');
        expect(event.payload).toEqual({
          data: { threadEvents: { position, message: expect.objectContaining({ replyTo: null }) } },
          errors: [expect.objectContaining(MASKED)],
        });
        ws.socket.destroy();
        await ws.ended;
      }
      expectOneBug(logs?.lines ?? [], `event-${position}`);
    });
    expect(lines).toHaveLength(1);
  });

  it('a subscription event over SSE: once per subscriber (yoga executes per stream), under the stream\'s request id', async () => {
    const lines = await logged(async () => {
      const controller = new AbortController();
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-request-id': 'policy-sse-events' },
        body: JSON.stringify({ query: REPLY_AUTHORS, variables: { t: thread.id } }),
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      await waitForSubscriptions(server, 1, 'sseSubscriptions');
      const { position } = (await server.ok<{ postMessage: { position: string } }>(POST, { t: thread.id, b: 'another reply', r: victimsMessage.id }, poster.token)).postMessage;
      const event = await firstSseEvent(response);
      controller.abort();
      expect(event).toEqual({ data: { threadEvents: { position, message: expect.objectContaining({ replyTo: null }) } }, errors: [expect.objectContaining(MASKED)] });
    });
    expectOneBug(lines, 'policy-sse-events');
  });
});

/** The data of the first `next` event of an SSE response, read as it streams. */
async function firstSseEvent(response: Response): Promise<unknown> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const match = /event: next\ndata: (.*)\n/.exec(text);
    if (match) return JSON.parse(match[1]!);
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended without an event: ${text.slice(0, 300)}`);
    text += decoder.decode(value, { stream: true });
  }
}

/** Polls /healthz until `count` subscriptions are live (nothing to wait on from outside). */
async function waitForSubscriptions(server: TestServer, count: number, field: 'subscriptions' | 'sseSubscriptions' = 'subscriptions'): Promise<void> {
  await waitFor(async () => ((await server.health()) as unknown as Record<string, number>)[field]! >= count, { what: `${count} live ${field}` });
}
