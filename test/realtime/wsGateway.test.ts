/**
 * The WebSocket gateway: graphql-transport-ws as the graphql-ws client
 * expects it, one execution per event for identical subscriptions, and slow
 * consumers dropped rather than buffered, then resumed without loss.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collect, CREATE_THREAD, POST, signUp, startTestServer, THREAD_EVENTS, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';

function rawSocket(server: TestServer): Promise<{ ws: WebSocket; messages: unknown[]; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  const messages: unknown[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, closed }));
    ws.once('error', reject);
  });
}

const until = (check: () => boolean, what: string, timeoutMs = 10_000) => waitFor(check, { what, timeoutMs });

describe('WebSocket gateway', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite', undefined, { wsSendBufferLimit: 64 * 1024 });
    token = (await signUp(server, 'gatekeeper')).token;
  });
  afterAll(async () => {
    await server.dispose();
  });

  const newThread = async () => (await server.ok(CREATE_THREAD, { title: 'Gateway' }, token)).createThread.thread as { id: string; position: string };

  it('executes an event once for all identical subscriptions and sends each subscriber the same result', async () => {
    const thread = await newThread();
    const subscribers = Array.from({ length: 40 }, (_, i) =>
      collect<{ threadEvents: { position: string; message: { body: string } } }>(
        server.wsClient(),
        THREAD_EVENTS,
        // Different start positions (both before any message) share results once live.
        { t: thread.id, ...(i % 2 ? { after: thread.position } : {}) },
        (items) => items.length >= 10,
      ),
    );
    await waitFor(async () => (await server.health()).subscriptions >= 40, { what: '40 live subscriptions' });
    const before = (await server.health()).sharedExecutions;
    for (let i = 0; i < 10; i += 1) await server.ok(POST, { t: thread.id, b: `shared ${i}` }, token);
    const received = await Promise.all(subscribers.map((s) => s.done));
    for (const items of received) expect(items.map((r) => r.threadEvents.message.body)).toEqual(Array.from({ length: 10 }, (_, i) => `shared ${i}`));
    const executions = (await server.health()).sharedExecutions - before;
    expect(executions).toBeLessThanOrEqual(20);
    expect(executions).toBeGreaterThanOrEqual(10);
  });

  it('sends a burst of concurrent posts, committed in shared groups, to every subscriber once each and in order', async () => {
    const thread = await newThread();
    const subscribers = Array.from({ length: 6 }, () =>
      collect<{ threadEvents: { position: string } }>(server.wsClient(), THREAD_EVENTS, { t: thread.id }, (items) => items.length >= 60),
    );
    await waitFor(async () => (await server.health()).subscriptions >= 6, { what: '6 live subscriptions' });
    const posted = await Promise.all(Array.from({ length: 60 }, (_, i) => server.ok(POST, { t: thread.id, b: `burst ${i}` }, token)));
    const positions = posted.map((r) => r.postMessage.position as string).sort((a, b) => Number(a) - Number(b));
    for (const items of await Promise.all(subscribers.map((s) => s.done))) expect(items.map((r) => r.threadEvents.position)).toEqual(positions);
  });

  it('drops a client that stops reading with 1013, and it resumes from its last position with nothing lost', async () => {
    const thread = await newThread();
    const { ws, messages, closed } = await rawSocket(server);
    ws.send(JSON.stringify({ type: 'connection_init' }));
    await until(() => messages.length > 0, 'ack');
    ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: THREAD_EVENTS, variables: { t: thread.id, after: thread.position } } }));
    await waitFor(async () => (await server.health()).subscriptions >= 1, { what: 'the subscription live' });
    // Stop reading: the kernel buffers fill, then the server's send buffer grows past its limit.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // 4-byte characters: each message is ~16 KB on the wire, so the loopback buffers fill quickly.
    const body = '🎉'.repeat(3900);
    const posted: string[] = [];
    let dropped = false;
    for (let batch = 0; batch < 80 && !dropped; batch += 1) {
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => server.ok(POST, { t: thread.id, b: `${batch}.${i} ${body}` }, token)),
      );
      posted.push(...results.map((r) => r.postMessage.position as string));
      dropped = (await server.health()).subscriptions === 0;
    }
    expect(dropped).toBe(true);
    // Read again: what was sent before the drop arrives, then the close frame.
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    posted.sort((a, b) => Number(a) - Number(b));
    const info = await closed;
    expect(info.code).toBe(1013);
    const seen = messages.filter((m): m is { type: string; payload: { data: { threadEvents: { position: string } } } } => (m as { type: string }).type === 'next');
    const last = seen.at(-1)?.payload.data.threadEvents.position ?? thread.position;
    const rest = posted.filter((p) => Number(p) > Number(last));
    const resumed = await collect<{ threadEvents: { position: string } }>(server.wsClient(), THREAD_EVENTS, { t: thread.id, after: last }, (items) => items.length >= rest.length).done;
    const all = [...seen.map((m) => m.payload.data.threadEvents.position), ...resumed.map((r) => r.threadEvents.position)];
    expect(all).toEqual(posted);
  });

  it('closes with the graphql-transport-ws codes on protocol errors', async () => {
    const early = await rawSocket(server);
    early.ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ me { id } }' } }));
    expect((await early.closed).code).toBe(4401);

    const twice = await rawSocket(server);
    twice.ws.send(JSON.stringify({ type: 'connection_init' }));
    twice.ws.send(JSON.stringify({ type: 'connection_init' }));
    expect((await twice.closed).code).toBe(4429);

    const garbage = await rawSocket(server);
    garbage.ws.send('{"type": "nonsense"');
    expect((await garbage.closed).code).toBe(4400);

    const duplicate = await rawSocket(server);
    duplicate.ws.send(JSON.stringify({ type: 'connection_init' }));
    await until(() => duplicate.messages.length > 0, 'ack');
    const thread = await newThread();
    const sub = { type: 'subscribe', payload: { query: THREAD_EVENTS, variables: { t: thread.id } } };
    duplicate.ws.send(JSON.stringify({ id: 'same', ...sub }));
    duplicate.ws.send(JSON.stringify({ id: 'same', ...sub }));
    expect((await duplicate.closed).code).toBe(4409);

    // No graphql-transport-ws subprotocol offered.
    const wrong = new WebSocket(server.wsUrl);
    const code = await new Promise<number>((resolve) => wrong.on('close', (c) => resolve(c)));
    expect(code).toBe(4406);
  });

  it('answers pings, runs queries over the socket, and reports validation errors with an error message', async () => {
    const { ws, messages } = await rawSocket(server);
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    await until(() => messages.length > 0, 'ack');
    ws.send(JSON.stringify({ type: 'ping' }));
    ws.send(JSON.stringify({ id: 'q', type: 'subscribe', payload: { query: '{ me { username } }' } }));
    ws.send(JSON.stringify({ id: 'bad', type: 'subscribe', payload: { query: '{ nope }' } }));
    await until(() => messages.length >= 5, 'replies');
    expect(messages).toContainEqual({ type: 'pong' });
    expect(messages).toContainEqual({ id: 'q', type: 'next', payload: { data: { me: { username: 'gatekeeper' } } } });
    expect(messages).toContainEqual({ id: 'q', type: 'complete' });
    const error = messages.find((m) => (m as { id?: string }).id === 'bad') as { type: string; payload: Array<{ message: string }> };
    expect(error.type).toBe('error');
    expect(error.payload[0]!.message).toMatch(/nope/);
    ws.close();
  });
});
