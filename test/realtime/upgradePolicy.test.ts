/**
 * Who may open a WebSocket at all, decided on the HTTP upgrade through the
 * real server: allowed origins only (403 otherwise; no Origin is not a
 * browser and is let in), at most so many connections per address and in
 * all (429 with Retry-After; counts go down exactly as sockets close, failed
 * handshakes included), and a legacy graphql-ws client told which protocol
 * to speak (4406) instead of failing blind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { relaxedProtection } from '../support/protection.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { eventually } from './support/gatewayHarness.ts';
import { openRaw } from './support/rawWebSocket.ts';

type Outcome = { opened: WebSocket } | { status: number; retryAfter: string | undefined };

/** Tries to open a graphql-transport-ws socket: the open socket, or the HTTP status it was refused with. */
function tryOpen(url: string, options: { origin?: string; localAddress?: string; protocol?: string } = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocol ?? 'graphql-transport-ws', {
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    ws.once('open', () => resolve({ opened: ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
      res.resume();
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

const opened = (outcome: Outcome): WebSocket => {
  if (!('opened' in outcome)) throw new Error(`refused with ${outcome.status}`);
  return outcome.opened;
};

const closeAll = async (sockets: WebSocket[]) => {
  await Promise.all(
    sockets.map((ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : (ws.once('close', () => resolve()), ws.close())))),
  );
};

describe('origin policy on upgrade', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite', undefined, { protection: relaxedProtection({ allowedOrigins: ['https://good.example'] }) });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('refuses an upgrade from another origin with 403 and opens no WebSocket', async () => {
    const before = (await server.health()).connections;
    expect(await tryOpen(server.wsUrl, { origin: 'https://evil.example' })).toEqual({ status: 403, retryAfter: undefined });
    expect((await server.health()).connections).toBe(before);
  });

  it('lets in an allowed origin, the server’s own origin, and a client that sends no Origin', async () => {
    const own = new URL(server.url).origin;
    const sockets = [
      opened(await tryOpen(server.wsUrl, { origin: 'https://good.example' })),
      opened(await tryOpen(server.wsUrl, { origin: own })),
      opened(await tryOpen(server.wsUrl)),
    ];
    for (const ws of sockets) expect(ws.protocol).toBe('graphql-transport-ws');
    await closeAll(sockets);
  });
});

describe('connection caps on upgrade', () => {
  let server: TestServer;
  let port: number;

  beforeAll(async () => {
    server = await startTestServer('sqlite', undefined, { protection: relaxedProtection({ maxConnectionsPerAddress: 3, maxConnections: 5 }) });
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server.dispose();
  });

  const settled = (connections: number) => eventually(async () => (await server.health()).connections === connections, `${connections} connections`);

  it('refuses a connection over the per-address cap with 429 and Retry-After, and admits one again when a socket closes', async () => {
    const sockets = [opened(await tryOpen(server.wsUrl)), opened(await tryOpen(server.wsUrl)), opened(await tryOpen(server.wsUrl))];
    const refused = await tryOpen(server.wsUrl);
    expect(refused).toEqual({ status: 429, retryAfter: expect.stringMatching(/^\d+$/) });
    await closeAll(sockets.splice(0, 1));
    await settled(2);
    sockets.push(opened(await tryOpen(server.wsUrl)));
    expect(await tryOpen(server.wsUrl)).toMatchObject({ status: 429 });
    await closeAll(sockets);
    await settled(0);
  });

  it('refuses a connection over the total cap from any address', async () => {
    const sockets = [
      ...(await Promise.all([1, 2, 3].map(() => tryOpen(server.wsUrl, { localAddress: '127.0.0.1' })))).map(opened),
      ...(await Promise.all([1, 2].map(() => tryOpen(server.wsUrl, { localAddress: '127.0.0.2' })))).map(opened),
    ];
    expect(await tryOpen(server.wsUrl, { localAddress: '127.0.0.3' })).toMatchObject({ status: 429 });
    await closeAll(sockets);
    await settled(0);
    // Every place was given back: the caps admit exactly as many as before.
    const again = (await Promise.all([1, 2, 3].map(() => tryOpen(server.wsUrl)))).map(opened);
    expect(await tryOpen(server.wsUrl)).toMatchObject({ status: 429 });
    await closeAll(again);
    await settled(0);
  });

  it('answers an upgrade to any other path with 404 and counts nothing', async () => {
    await expect(openRaw(port, { path: '/graphql/../admin' })).rejects.toThrow(/404/);
    await expect(openRaw(port, { path: '/' })).rejects.toThrow(/404/);
    await settled(0);
    const sockets = (await Promise.all([1, 2, 3].map(() => tryOpen(server.wsUrl)))).map(opened);
    await closeAll(sockets);
    await settled(0);
  });

  it('gives the place back when a handshake fails or a socket is cut without a close', async () => {
    for (let i = 0; i < 5; i += 1) {
      await expect(openRaw(port, { headers: { 'Sec-WebSocket-Version': '99' } })).rejects.toThrow(/400/);
    }
    const raw = await Promise.all([1, 2, 3].map(() => openRaw(port)));
    expect(await tryOpen(server.wsUrl)).toMatchObject({ status: 429 });
    for (const ws of raw) ws.socket.destroy();
    await settled(0);
    const sockets = (await Promise.all([1, 2, 3].map(() => tryOpen(server.wsUrl)))).map(opened);
    await closeAll(sockets);
    await settled(0);
  });
});

describe('subprotocols', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('tells a client that offers only the legacy graphql-ws protocol to use graphql-transport-ws (4406)', async () => {
    const ws = new WebSocket(server.wsUrl, 'graphql-ws');
    const [code, reason] = await new Promise<[number, string]>((resolve) => ws.on('close', (c, r) => resolve([c, String(r)])));
    expect(code).toBe(4406);
    expect(reason).toContain('graphql-transport-ws');
  });

  it('picks graphql-transport-ws when it is among the protocols offered', async () => {
    const ws = opened(await tryOpen(server.wsUrl));
    expect(ws.protocol).toBe('graphql-transport-ws');
    await closeAll([ws]);
    const both = new WebSocket(server.wsUrl, ['graphql-ws', 'graphql-transport-ws']);
    await new Promise((resolve) => both.once('open', resolve));
    expect(both.protocol).toBe('graphql-transport-ws');
    await closeAll([both]);
  });
});
