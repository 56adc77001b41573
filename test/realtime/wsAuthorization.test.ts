/**
 * Signing in over WebSocket, with stock clients and a raw one, on a real
 * server: `connectionParams.authorization` and `connectionParams.headers`'
 * Authorization both sign in; a bad token is 4403 whichever shape carried
 * it, and the README's graphql-ws setup does not retry it; a value that is
 * not a string is 4400, naming the field; a client offering only the legacy
 * `graphql-ws` subprotocol (subscriptions-transport-ws) completes the
 * handshake and is told, 4406, to speak graphql-transport-ws.
 */
import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signUp, startTestServer, type TestServer } from '../support/server.ts';
import { openRaw } from './support/rawWebSocket.ts';

const ME = '{ me { username } }';

/** The README's setup: graphql-ws retries what may pass (a restart, 1013), never a refused token. */
function readmeClient(url: string, connectionParams: Record<string, unknown>, on: { connecting?: () => void } = {}): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: true,
    connectionParams,
    retryAttempts: 5,
    retryWait: () => Promise.resolve(),
    shouldRetry: (errOrCloseEvent) => !(isCloseEvent(errOrCloseEvent) && errOrCloseEvent.code === 4403),
    on,
  });
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}

/** One query's result, or what ended the connection (a close event). */
function query(client: Client, document: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let result: unknown;
    client.subscribe({ query: document }, { next: (value) => (result = value), error: reject, complete: () => resolve(result) });
  });
}

describe('WebSocket sign-in', () => {
  let server: TestServer;
  let token: string;
  const clients: Client[] = [];
  const client = (connectionParams: Record<string, unknown>, on?: { connecting?: () => void }) => {
    const made = readmeClient(server.wsUrl, connectionParams, on);
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    ({ token } = await signUp(server, 'socketeer'));
  });
  afterAll(async () => {
    for (const made of clients) await made.dispose();
    await server?.dispose();
  });

  it.each([
    ['connectionParams.authorization', () => ({ authorization: `Bearer ${token}` })],
    ['connectionParams.headers.Authorization', () => ({ headers: { Authorization: `Bearer ${token}` } })],
    ['connectionParams.headers.authorization', () => ({ headers: { authorization: `Bearer ${token}` } })],
  ])('signs in with %s', async (_shape, params) => {
    expect(await query(client(params()), ME)).toEqual({ data: { me: { username: 'socketeer' } } });
  });

  it.each([
    ['connectionParams.authorization', { authorization: 'Bearer not-a-session' }],
    ['connectionParams.headers.Authorization', { headers: { Authorization: 'Bearer not-a-session' } }],
  ])('refuses a bad token in %s with 4403, which the README setup does not retry', async (_shape, params) => {
    let attempts = 0;
    const refused = await query(client(params, { connecting: () => (attempts += 1) }), ME).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isCloseEvent(refused) && refused.code).toBe(4403);
    expect(attempts).toBe(1);
  });

  it('refuses an authorization that is not a string with 4400, naming the field', async () => {
    const refused = await query(client({ headers: { Authorization: 42 } }), ME).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 4400, reason: 'connectionParams.headers.Authorization must be a string: "Bearer <token>"' });
  });

  it('tells a raw client offering only the legacy graphql-ws subprotocol to use graphql-transport-ws (4406), after a complete handshake', async () => {
    const ws = await openRaw(Number(new URL(server.url).port), { protocols: ['graphql-ws'] });
    // The handshake settles on what was offered, so a browser does not fail it blind (1006) but reads the close.
    expect(ws.response).toMatch(/\r\nSec-WebSocket-Protocol: graphql-ws(\r\n|$)/i);
    // subscriptions-transport-ws speaks first; the server does not wait for it.
    ws.sendJson({ type: 'connection_init', payload: {} });
    const closed = await ws.ended;
    expect(closed.code).toBe(4406);
    expect(closed.reason).toContain('use graphql-transport-ws');
    expect(closed.reason).toContain('subscriptions-transport-ws');
  });

  it('tells a client offering no subprotocol the same (4406), naming graphql-transport-ws', async () => {
    const ws = await openRaw(Number(new URL(server.url).port), { protocols: [] });
    expect(ws.response).not.toMatch(/Sec-WebSocket-Protocol/i);
    expect(await ws.ended).toEqual({ code: 4406, reason: 'Subprotocol not acceptable: use graphql-transport-ws' });
  });
});
