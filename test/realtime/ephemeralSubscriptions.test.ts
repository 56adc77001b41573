/**
 * The gateway's subscriptions whose source is not the log (presence here):
 * one execution per value shared by every subscriber with the same document
 * in the public scope, a stop that frees the subscription, and a
 * `threadEvents` subscription that holds its thread open for as long as it
 * lives, not as long as its catch-up iterator (which goes when it joins its
 * group).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_THREAD, REGISTER, THREAD_EVENTS } from '../support/server.ts';
import { eventually, type GatewayHarness, startGateway } from './support/gatewayHarness.ts';

const PRESENCE = 'subscription { presence { people connections } }';
const THREAD_ONLINE = 'query ($t: ID!) { thread(id: $t) { online { people connections } } }';

describe('subscriptions that are not the log, on the WebSocket gateway', () => {
  let harness: GatewayHarness;
  let ana: string;
  let bob: string;
  let threadId: string;

  beforeAll(async () => {
    harness = await startGateway('sqlite');
    ana = (await harness.run(REGISTER, { u: 'ephemeral_ana', p: 'correct horse', d: 'Ana' })).data.register.token;
    bob = (await harness.run(REGISTER, { u: 'ephemeral_bob', p: 'correct horse', d: 'Bob' })).data.register.token;
    threadId = (await harness.run(CREATE_THREAD, { title: 'Who is here' }, ana)).data.createThread.thread.id;
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  it('executes each presence value once for every subscriber of the same document, and a complete frees the subscription', async () => {
    const [a, b] = [await harness.client(ana), await harness.client(bob)];
    const subscribed = harness.gateway.stats.subscriptions;
    for (const ws of [a, b]) ws.sendJson({ id: 'p', type: 'subscribe', payload: { query: PRESENCE } });
    await Promise.all([a, b].map((ws) => ws.next((m) => m.id === 'p' && m.type === 'next')));
    await eventually(() => harness.gateway.stats.subscriptions === subscribed + 2, 'both subscribed');

    const before = harness.gateway.stats.executions();
    const third = await harness.client();
    const seen = (ws: typeof a) => ws.next((m) => m.id === 'p' && JSON.stringify(m.payload).includes('"connections":3'));
    const [toA, toB] = await Promise.all([seen(a), seen(b)]);
    expect(toA.payload).toEqual({ data: { presence: { people: 2, connections: 3 } } });
    expect(toB.payload).toEqual(toA.payload);
    // The anonymous third connection changed one value: executed once, for both.
    expect(harness.gateway.stats.executions() - before).toBe(1);

    for (const ws of [a, b]) ws.sendJson({ id: 'p', type: 'complete' });
    await eventually(() => harness.gateway.stats.subscriptions === subscribed, 'both subscriptions stopped');
    third.socket.destroy();
    for (const ws of [a, b]) ws.socket.destroy();
    await eventually(() => harness.services.presence.snapshot().connections === 0, 'every connection gone from presence');
  });

  it('holds a thread open while its threadEvents subscription lives, after it joined its group, and lets it go at complete', async () => {
    const online = async () => (await harness.run(THREAD_ONLINE, { t: threadId })).data.thread.online;
    const ws = await harness.client(bob);
    ws.sendJson({ id: 'open', type: 'subscribe', payload: { query: THREAD_EVENTS, variables: { t: threadId } } });
    // Live from now: the subscription joins its group at once, and its catch-up iterator is let go.
    await eventually(async () => (await online()).people === 1, 'the thread open for bob');
    await harness.run('mutation ($t: ID!, $b: String!) { postMessage(input: { threadId: $t, body: $b }) { position } }', { t: threadId, b: 'still here?' }, ana);
    await ws.next((m) => m.id === 'open' && m.type === 'next');
    expect(await online()).toEqual({ people: 1, connections: 1 });

    ws.sendJson({ id: 'open', type: 'complete' });
    await eventually(async () => (await online()).people === 0, 'the thread let go at complete');
    expect(harness.services.presence.snapshot().people).toBe(1);
    ws.socket.destroy();
  });
});
