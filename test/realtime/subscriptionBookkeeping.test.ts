/**
 * What a socket may hold and send: live operations never over the cap under
 * any interleaving of subscribe and complete (one id reused while its first
 * start is still awaiting the database included), nothing left after close,
 * operation ids capped at 128 characters (never stored), correlation ids at
 * 64, and subscribe messages rate limited per connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/databases.ts';
import { relaxedProtection } from '../support/protection.ts';
import { CREATE_THREAD, REGISTER, signUp, startTestServer, type TestServer, THREAD_EVENTS } from '../support/server.ts';
import { eventually, type GatewayHarness, startGateway } from './support/gatewayHarness.ts';
import { initialise, openRaw } from './support/rawWebSocket.ts';

const CAP = 20;

describe.each(await storeKinds())('subscription bookkeeping on %s', (kind) => {
  let harness: GatewayHarness;
  let token: string;
  let thread: { id: string; position: string };

  beforeAll(async () => {
    harness = await startGateway(kind, { protection: relaxedProtection({ maxSubscriptionsPerConnection: CAP }) });
    const registered = await harness.run(REGISTER, { u: `keeper_${kind}`, p: 'correct horse', d: 'Keeper' });
    token = registered.data.register.token;
    thread = (await harness.run(CREATE_THREAD, { title: 'Bookkeeping' }, token)).data.createThread.thread;
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  /** Samples the live count on every turn of the event loop while `work` runs, and returns the highest seen. */
  const peakWhile = async (work: () => Promise<void>): Promise<number> => {
    let peak = 0;
    let sampling = true;
    const sample = () => {
      peak = Math.max(peak, harness.gateway.stats.subscriptions);
      if (sampling) setImmediate(sample);
    };
    sample();
    try {
      await work();
    } finally {
      sampling = false;
    }
    return peak;
  };

  /** 40 ids (twice the cap), each round: complete, subscribe, complete, subscribe — hundreds of messages in a burst. */
  const storm = (ws: Awaited<ReturnType<GatewayHarness['client']>>, rounds: number) => {
    const subscribe = (id: string) => ({ id, type: 'subscribe', payload: { query: THREAD_EVENTS, variables: { t: thread.id, after: thread.position } } });
    for (let round = 0; round < rounds; round += 1) {
      for (let k = 0; k < 2 * CAP; k += 1) {
        const id = `op${k}`;
        ws.sendJson({ id, type: 'complete' });
        ws.sendJson(subscribe(id));
        ws.sendJson({ id, type: 'complete' });
        ws.sendJson(subscribe(id));
      }
    }
  };

  it('never holds more than the cap under subscribe/complete/subscribe with one id, and completing every id leaves nothing', async () => {
    const ws = await harness.client();
    const peak = await peakWhile(async () => {
      storm(ws, 10);
      // A ping answered means every message before it was read; the starts may still be awaiting the store.
      ws.sendJson({ type: 'ping' });
      await ws.next((m) => m.type === 'pong');
      await eventually(() => harness.gateway.stats.subscriptions >= CAP / 2, 'subscriptions to start');
      for (let k = 0; k < 2 * CAP; k += 1) ws.sendJson({ id: `op${k}`, type: 'complete' });
      await eventually(() => harness.gateway.stats.subscriptions === 0, 'every completed subscription to stop');
    });
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(CAP);
    // The refusals over the cap were answered as errors for their ids; the socket is still open.
    expect(ws.messages.some((m) => m.type === 'error' && JSON.stringify(m.payload).includes(`At most ${CAP} operations`))).toBe(true);
    expect(ws.socket.destroyed).toBe(false);
    expect(harness.gateway.stats.groups).toBe(0);
    ws.socket.destroy();
    await eventually(() => harness.gateway.stats.connections === 0, 'the connection to close');
  });

  it('frees every subscription and group when the socket closes in the middle of a storm', async () => {
    const sockets = await Promise.all(Array.from({ length: 3 }, () => harness.client()));
    const peak = await peakWhile(async () => {
      for (const ws of sockets) storm(ws, 5);
      for (const ws of sockets) {
        ws.sendJson({ type: 'ping' });
        await ws.next((m) => m.type === 'pong');
      }
      for (const ws of sockets) ws.socket.destroy();
      await eventually(() => harness.gateway.stats.connections === 0, 'the connections to close');
      await eventually(() => harness.gateway.stats.subscriptions === 0, 'every subscription to stop');
    });
    expect(peak).toBeLessThanOrEqual(3 * CAP);
    expect(harness.gateway.stats.groups).toBe(0);
  });

  it('closes with 4400 on an operation id over 128 characters and writes nothing, even for a 1 MB id on register', async () => {
    const headBefore = harness.services.feed.head;
    for (const length of [129, 1_000_000]) {
      const ws = await harness.client();
      ws.sendJson({ id: 'x'.repeat(length), type: 'subscribe', payload: { query: REGISTER, variables: { u: `long_${length}`, p: 'correct horse', d: 'Long' } } });
      const ended = await ws.ended;
      expect(ended.code).toBe(4400);
      expect(ended.reason).toContain('128');
    }
    expect((await harness.services.store.head()).position).toBe(headBefore);
  });

  it('takes an id of 128 characters and gives its operation a correlation id of at most 64', async () => {
    const ws = await harness.client();
    const id = 'i'.repeat(128);
    const after = harness.services.feed.head;
    ws.sendJson({ id, type: 'subscribe', payload: { query: REGISTER, variables: { u: `long_id_${kind}`, p: 'correct horse', d: 'Long id' } } });
    const reply = await ws.next((m) => m.id === id && m.type === 'next');
    expect((reply.payload as { data: unknown }).data).toBeTruthy();
    const [event] = await harness.services.store.readAll({ after, limit: 1 });
    // `<the upgrade's request id>:<operation id>`, cut to 64 (the client sent no x-request-id: a fresh UUID).
    expect(event?.metadata.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:i{27}$/);
    ws.socket.destroy();
  });
});

describe('subscribe rate per connection', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    const relaxed = relaxedProtection();
    harness = await startGateway('sqlite', { protection: { ...relaxed, rates: { ...relaxed.rates, subscribesPerConnection: { points: 3, durationSeconds: 60 } } } });
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  it('refuses the subscribe over the limit with RATE_LIMITED and retryAfter for that id, and keeps the connection open', async () => {
    const ws = await harness.client();
    for (const id of ['a', 'b', 'c', 'd']) ws.sendJson({ id, type: 'subscribe', payload: { query: 'subscription { events { position } }' } });
    const refused = await ws.next((m) => m.id === 'd' && m.type === 'error');
    const [error] = refused.payload as Array<{ message: string; extensions: { code: string; retryAfter: number } }>;
    expect(error?.extensions.code).toBe('RATE_LIMITED');
    expect(error?.extensions.retryAfter).toBeGreaterThanOrEqual(1);
    expect(error?.extensions.retryAfter).toBeLessThanOrEqual(60);
    expect(ws.messages.filter((m) => m.type === 'error').map((m) => m.id)).toEqual(['d']);
    ws.sendJson({ type: 'ping' });
    await ws.next((m) => m.type === 'pong');
    await eventually(() => harness.gateway.stats.subscriptions === 3, 'the three admitted subscriptions');

    // The limit is per connection: another socket from the same address has its own.
    const other = await harness.client();
    other.sendJson({ id: 'a', type: 'subscribe', payload: { query: '{ threads(first: 1) { edges { cursor } } }' } });
    await other.next((m) => m.id === 'a' && m.type === 'complete');
    ws.socket.destroy();
    other.socket.destroy();
  });
});

describe.each(await storeKinds())('bookkeeping seen from /healthz on %s', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, undefined, { protection: relaxedProtection({ maxSubscriptionsPerConnection: CAP }) });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('reports no subscription and no connection once storming sockets close', async () => {
    const { token } = await signUp(server, `storm_${kind}`);
    const thread = (await server.ok(CREATE_THREAD, { title: 'Storm' }, token)).createThread.thread as { id: string; position: string };
    const port = Number(new URL(server.url).port);
    const sockets = await Promise.all(Array.from({ length: 3 }, () => openRaw(port)));
    for (const ws of sockets) await initialise(ws);
    const subscribe = (id: string) => ({ id, type: 'subscribe', payload: { query: THREAD_EVENTS, variables: { t: thread.id, after: thread.position } } });
    for (const ws of sockets) {
      for (let i = 0; i < 300; i += 1) {
        const id = `op${i % (2 * CAP)}`;
        ws.sendJson({ id, type: 'complete' });
        ws.sendJson(subscribe(id));
        ws.sendJson({ id, type: 'complete' });
        ws.sendJson(subscribe(id));
      }
    }
    await eventually(async () => (await server.health()).subscriptions > 0, 'subscriptions to start');
    expect((await server.health()).subscriptions).toBeLessThanOrEqual(3 * CAP);
    for (const ws of sockets) ws.socket.destroy();
    await eventually(async () => {
      const health = await server.health();
      return health.subscriptions === 0 && health.connections === 0;
    }, '/healthz to report nothing held');
  });
});
