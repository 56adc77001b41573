/**
 * A session that ends ends its sockets: a WebSocket signed in with a token
 * that is logged out (over HTTP, on any connection) closes with 4403 within
 * a second, while sockets with another live token of the same user, and
 * anonymous ones, stay open. Through the real server on both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/databases.ts';
import { signUp, startTestServer, type TestServer } from '../support/server.ts';
import { initialise, openRaw, type RawWebSocket } from './support/rawWebSocket.ts';

const LOGIN = 'mutation ($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { token } }';

describe.each(await storeKinds())('revoked sessions on %s', (kind) => {
  let server: TestServer;
  let port: number;

  beforeAll(async () => {
    server = await startTestServer(kind);
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server.dispose();
  });

  const signedInSocket = async (token?: string): Promise<RawWebSocket> => {
    const ws = await openRaw(port);
    await initialise(ws, token);
    ws.sendJson({ id: 'live', type: 'subscribe', payload: { query: 'subscription { events { position } }' } });
    return ws;
  };

  const stillOpen = async (ws: RawWebSocket) => {
    const pongs = ws.messages.filter((m) => m.type === 'pong').length;
    ws.sendJson({ type: 'ping' });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no pong')), 5000);
      const look = setInterval(() => {
        if (ws.messages.filter((m) => m.type === 'pong').length > pongs) {
          clearTimeout(timer);
          clearInterval(look);
          resolve();
        }
      }, 5);
    });
  };

  /** The close code, or a failure when the socket is still open after `ms`. */
  const closedWithin = (ws: RawWebSocket, ms: number) =>
    Promise.race([ws.ended.then((ended) => ended.code), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms))]);

  it('closes a socket whose token is logged out with 4403 within a second, and only that one', async () => {
    const username = `revoked_${kind}`;
    const { token: first } = await signUp(server, username);
    const second = (await server.ok<{ login: { token: string } }>(LOGIN, { u: username, p: 'correct horse' })).login.token;
    const other = await signUp(server, `bystander_${kind}`);
    const [onFirst, alsoOnFirst, onSecond, anonymous, bystander] = await Promise.all([
      signedInSocket(first),
      signedInSocket(first),
      signedInSocket(second),
      signedInSocket(),
      signedInSocket(other.token),
    ]);

    const started = Date.now();
    expect((await server.ok<{ logout: boolean }>('mutation { logout }', {}, first)).logout).toBe(true);
    expect(await closedWithin(onFirst, 1000)).toBe(4403);
    expect(await closedWithin(alsoOnFirst, 1000)).toBe(4403);
    expect(Date.now() - started).toBeLessThan(1000 + 500);
    for (const ws of [onSecond, anonymous, bystander]) await stillOpen(ws);

    for (const ws of [onSecond, anonymous, bystander]) ws.socket.destroy();
  });

  it('closes every socket of a user who logs out everywhere', async () => {
    const username = `everywhere_${kind}`;
    const { token: first } = await signUp(server, username);
    const second = (await server.ok<{ login: { token: string } }>(LOGIN, { u: username, p: 'correct horse' })).login.token;
    const sockets = await Promise.all([signedInSocket(first), signedInSocket(second)]);
    await server.ok('mutation { logoutEverywhere }', {}, second);
    for (const ws of sockets) expect(await closedWithin(ws, 1000)).toBe(4403);
    expect((await server.health()).subscriptions).toBe(0);
  });
});
