/**
 * GraphQL subscriptions over SSE, held to the WebSocket's bounds: counted in
 * /healthz, under the per-address connection cap, ended the moment their
 * response closes, and dropped once a client leaves more than the send
 * buffer limit unread; a dropped client resumes from its last position.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relaxedProtection } from '../support/protection.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, THREAD_EVENTS, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';

const SEND_BUFFER_LIMIT = 64 * 1024;
const MESSAGES = 700;
/** 3 bytes each in UTF-8: ~12 KB per event, ~8.4 MB of replay, twice what loopback's kernel buffers hold for a client that never reads (~4 MB). */
const BODY = '字'.repeat(3990);

interface Health {
  sseConnections: number;
  sseSubscriptions: number;
  position: string;
}

describe('GraphQL over SSE', () => {
  let server: TestServer;
  let threadId: string;
  let lastPosition: number;
  beforeAll(async () => {
    server = await startTestServer('sqlite', undefined, {
      protection: relaxedProtection({ maxConnectionsPerAddress: 2 }),
      wsSendBufferLimit: SEND_BUFFER_LIMIT,
    });
    const user = await signUp(server, 'talker');
    const thread = await server.ok<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, { title: 'Long' }, user.token);
    threadId = thread.createThread.thread.id;
    for (let start = 0; start < MESSAGES; start += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => server.ok(POST, { t: threadId, b: `${start + i} ${BODY}` }, user.token)));
    }
    lastPosition = Number((await server.health()).position);
  }, 120_000);
  afterAll(async () => {
    await server.dispose();
  });

  const health = async () => (await server.health()) as unknown as Health;

  /** /healthz has no event to wait on: look until it says so, within a bound. */
  const healthUntil = async (test: (h: Health) => boolean, timeoutMs = 10_000): Promise<Health> => {
    let last: Health | undefined;
    return waitFor(async () => test((last = await health())) && last, { what: '/healthz to match', timeoutMs, seen: () => JSON.stringify(last) });
  };
  const idle = (h: Health) => h.sseConnections === 0 && h.sseSubscriptions === 0;

  const subscribeRequest = (after: string): string => {
    const body = JSON.stringify({ query: THREAD_EVENTS, variables: { t: threadId, after } });
    const { host } = new URL(server.url);
    return [
      'POST /graphql HTTP/1.1',
      `Host: ${host}`,
      'Content-Type: application/json',
      'Accept: text/event-stream',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
  };

  /** Positions of the complete `next` events in an SSE text, in order. */
  const positionsIn = (text: string): number[] =>
    [...text.matchAll(/^data: (\{.*\})$/gm)].map((m) => Number((JSON.parse(m[1]!) as { data: { threadEvents: { position: string } } }).data.threadEvents.position));

  /**
   * An SSE subscription read with fetch until `until` holds for the
   * positions seen, or until the server drops the stream: the positions of
   * the complete events received either way.
   */
  const readSse = async (after: string, until: (positions: number[]) => boolean): Promise<{ positions: number[]; dropped: boolean }> => {
    const controller = new AbortController();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: THREAD_EVENTS, variables: { t: threadId, after } }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const complete = () => positionsIn(text.slice(0, text.lastIndexOf('\n\n') + 2));
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return { positions: complete(), dropped: true };
        text += decoder.decode(value, { stream: true });
        if (until(complete())) return { positions: complete(), dropped: false };
      }
    } catch {
      return { positions: complete(), dropped: true }; // the server cut the stream
    } finally {
      controller.abort();
    }
  };

  it('counts an SSE stream and its subscription in /healthz, and ends both the moment the client goes away', async () => {
    const controller = new AbortController();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: THREAD_EVENTS, variables: { t: threadId } }), // live only: waits in the feed
      signal: controller.signal,
    });
    await response.body!.getReader().read(); // the first ping: the subscription is open
    expect(await health()).toMatchObject({ sseConnections: 1, sseSubscriptions: 1 });
    controller.abort();
    await healthUntil(idle);
  });

  it('serves, counts and ends an EventSource-style GET subscription (no header can be added there)', async () => {
    const controller = new AbortController();
    const query = new URLSearchParams({ query: THREAD_EVENTS, variables: JSON.stringify({ t: threadId, after: String(lastPosition - 1) }) });
    const response = await fetch(`${server.url}?${query}`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes(`"position":"${lastPosition}"`)) text += new TextDecoder().decode((await reader.read()).value);
    expect(await health()).toMatchObject({ sseConnections: 1, sseSubscriptions: 1 });
    controller.abort();
    await healthUntil(idle);
  });

  it('drops a client that never reads a long replay once it leaves more than the send buffer limit unread, ends its subscription, and counts return to 0', async () => {
    const socket: Socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    socket.pause(); // never read until the server has given up on it
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(subscribeRequest('0'));

    await healthUntil(idle, 20_000);

    // What reached the client before the drop: the stream was cut, never completed, far short of the replay.
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.resume();
    });
    const text = Buffer.concat(received).toString('utf8');
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).not.toContain('event: complete');
    const positions = positionsIn(text.slice(0, text.lastIndexOf('\n\n') + 2));
    expect(positions.length).toBeGreaterThan(0);
    expect(positions.at(-1)!).toBeLessThan(lastPosition);
    // At most the kernel's buffers (~4 MB on loopback) plus the limit plus one event, of a ~8.4 MB replay.
    expect(Buffer.concat(received).length).toBeLessThan(Buffer.byteLength(BODY) * MESSAGES * 0.7);
  }, 30_000);

  it('lets a client that is dropped resume with after = its last position until it has every event, each once and in order', async () => {
    // This client reads more slowly than the server replays (it shares the server's thread), so it is
    // dropped each time it falls more than the limit behind, as a slow network would make it; each
    // round it resumes from the last position it received.
    // The first round goes away after 100 events whatever happens, so there is at least one resumption.
    const all = (await readSse('0', (p) => p.length >= 100)).positions;
    for (let round = 1; all.at(-1) !== lastPosition; round++) {
      expect(round).toBeLessThan(200);
      all.push(...(await readSse(String(all.at(-1)), (p) => p.at(-1) === lastPosition)).positions);
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(all).toHaveLength(MESSAGES + 1); // ThreadCreated and every message
    await healthUntil(idle);
  }, 60_000);

  it('counts SSE streams against the per-address connection cap: the next is refused with 429 RATE_LIMITED and Retry-After, and admitted once one closes', async () => {
    const open = async () => {
      const controller = new AbortController();
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: THREAD_EVENTS, variables: { t: threadId } }),
        signal: controller.signal,
      });
      return { response, close: () => controller.abort() };
    };
    const a = await open();
    const b = await open();
    const refused = await open();
    expect(refused.response.status).toBe(429);
    expect(refused.response.headers.get('retry-after')).toBe('10');
    const body = (await refused.response.json()) as { errors: Array<{ extensions: { code: string; retryAfter: number } }> };
    expect(body.errors[0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 10 });
    expect((await health()).sseConnections).toBe(2);

    a.close();
    await healthUntil((h) => h.sseConnections === 1);
    const c = await open();
    expect(c.response.status).toBe(200);
    b.close();
    c.close();
    await healthUntil(idle);
  });

  it('answers a subscription POSTed without an event-stream Accept with 406 at once', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: '*/*' },
      body: JSON.stringify({ query: THREAD_EVENTS, variables: { t: threadId } }),
    });
    expect(response.status).toBe(406);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(idle(await health())).toBe(true);
  });
});
