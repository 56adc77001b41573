/**
 * Request ids: a client's bounded `x-request-id` (or a fresh UUID) comes
 * back on every kind of response, and is stored as the correlation id of
 * the events the request caused, on every transport: the JSON fast path,
 * yoga's path (SSE) and WebSocket, where the upgrade's id names the
 * connection and each operation's id is `<connection id>:<operation id>`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRaw, initialise, type RawWebSocket } from '../realtime/support/rawWebSocket.ts';
import { storeKinds } from '../support/databases.ts';
import { relaxedProtection } from '../support/protection.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const kinds = await storeKinds();

function portOf(server: TestServer): number {
  return Number(new URL(server.url).port);
}

describe('x-request-id is echoed on every response', () => {
  let server: TestServer;
  let capped: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', undefined, { serveWeb: true });
    capped = await startTestServer('sqlite', undefined, { protection: relaxedProtection({ maxConnectionsPerAddress: 1 }) });
  });
  afterAll(async () => {
    await server?.dispose();
    await capped?.dispose();
  });

  const echoed = async (path: string, init: RequestInit = {}, id = `id-${Math.random().toString(36).slice(2)}`) => {
    const response = await fetch(new URL(path, server.url), { ...init, headers: { 'x-request-id': id, ...(init.headers as Record<string, string>) } });
    await response.body?.cancel();
    expect(response.headers.get('x-request-id'), `${init.method ?? 'GET'} ${path} (${response.status})`).toBe(id);
    return response.status;
  };

  it('on the GraphQL fast path, yoga path, SSE, health, readiness, metrics, the web app and a 404', async () => {
    const json = { 'content-type': 'application/json' };
    expect(await echoed('/graphql', { method: 'POST', headers: json, body: JSON.stringify({ query: '{ __typename }' }) })).toBe(200);
    expect(await echoed('/graphql?query=%7B__typename%7D', { headers: { accept: 'application/json' } })).toBe(200);
    expect(await echoed('/graphql', { method: 'POST', headers: { ...json, accept: 'text/event-stream' }, body: JSON.stringify({ query: '{ __typename }' }) })).toBe(200);
    expect(await echoed('/healthz')).toBe(200);
    expect([200, 503]).toContain(await echoed('/readyz'));
    expect(await echoed('/metrics')).toBe(200);
    expect(await echoed('/')).toBe(200);
    expect(await echoed('/assets/missing-file.js')).toBe(404);
    expect(await echoed('/nothing-here', { method: 'POST' })).toBe(404);
  });

  it('on refusals: 403 origin, 413 too large, 406, 429 connection cap', async () => {
    const json = { 'content-type': 'application/json' };
    expect(await echoed('/graphql', { method: 'POST', headers: { ...json, origin: 'https://elsewhere.example' }, body: '{"query":"{ __typename }"}' })).toBe(403);
    expect(await echoed('/graphql', { method: 'POST', headers: json, body: 'x'.repeat(1024 * 1024 + 1) })).toBe(413);
    expect(await echoed('/graphql', { method: 'POST', headers: json, body: JSON.stringify({ query: 'subscription { events { position } }' }) })).toBe(406);

    const stream = { method: 'POST', headers: { ...json, accept: 'text/event-stream' }, body: JSON.stringify({ query: 'subscription { events { position } }' }) };
    const controller = new AbortController();
    const open = await fetch(capped.url, { ...stream, signal: controller.signal });
    expect(open.status).toBe(200);
    const refused = await fetch(capped.url, { ...stream, headers: { ...stream.headers, 'x-request-id': 'over-the-cap' } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-request-id')).toBe('over-the-cap');
    controller.abort();
  });

  it('keeps an id of 64 printable characters; replaces a longer one, or one with spaces or controls, with a fresh UUID', async () => {
    const ask = async (id: string) => {
      const response = await fetch(new URL('/healthz', server.url), { headers: { 'x-request-id': id } });
      await response.body?.cancel();
      return response.headers.get('x-request-id');
    };
    const longest = `${'a'.repeat(60)}!~#$`;
    expect(await ask(longest)).toBe(longest);
    expect(await ask('b'.repeat(65))).toMatch(UUID);
    expect(await ask('with space')).toMatch(UUID);
    expect(await ask('tab\there')).toMatch(UUID);
    const none = await fetch(new URL('/healthz', server.url));
    expect(none.headers.get('x-request-id')).toMatch(UUID);
  });

  it('on the WebSocket upgrade answer, accepted or refused', async () => {
    const accepted = await openRaw(portOf(server), { headers: { 'X-Request-Id': 'socket-7' } });
    expect(accepted.response).toMatch(/^HTTP\/1\.1 101/);
    expect(accepted.response).toMatch(/^X-Request-Id: socket-7\r?$/im);
    accepted.socket.destroy();
    const fresh = await openRaw(portOf(server));
    expect(/^X-Request-Id: ([^\r\n]+)\r?$/im.exec(fresh.response)?.[1]).toMatch(UUID);
    fresh.socket.destroy();
    const refused = await openRaw(portOf(server), { path: '/elsewhere', headers: { 'X-Request-Id': 'wrong-door' } }).catch((error: unknown) => error);
    const answer = (refused as RawWebSocket).response ?? String(refused);
    expect(answer).toMatch(/404/);
    expect(answer).toMatch(/^X-Request-Id: wrong-door\r?$/im);
  });
});

describe.each(kinds)('the request id is the events correlation id on %s', (kind) => {
  let server: TestServer;
  let token: string;
  let threadId: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    token = (await signUp(server, 'correlated')).token;
    threadId = (await server.ok(CREATE_THREAD, { title: 'Correlated' }, token)).createThread.thread.id;
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const correlationAt = async (position: string) => {
    const data = await server.ok<{ events: Array<{ position: string; correlationId: string }> }>(`query ($after: Position) { events(after: $after, first: 1) { position correlationId } }`, {
      after: String(BigInt(position) - 1n),
    });
    expect(data.events[0]?.position).toBe(position);
    return data.events[0]?.correlationId;
  };

  it('over the HTTP fast path', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'http-post-1' },
      body: JSON.stringify({ query: POST, variables: { t: threadId, b: 'by the fast path' } }),
    });
    expect(response.headers.get('x-request-id')).toBe('http-post-1');
    const body = (await response.json()) as { data: { postMessage: { position: string } } };
    expect(await correlationAt(body.data.postMessage.position)).toBe('http-post-1');
  });

  it('over yoga (a mutation answered as an event stream), with a fresh id when none is sent', async () => {
    const stream = async (headers: Record<string, string>) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}`, ...headers },
        body: JSON.stringify({ query: POST, variables: { t: threadId, b: 'by yoga' } }),
      });
      const text = await response.text();
      const data = JSON.parse(/event: next\ndata: (.*)\n/.exec(text)?.[1] ?? 'null') as { data: { postMessage: { position: string } } };
      return { id: response.headers.get('x-request-id'), position: data.data.postMessage.position };
    };
    const named = await stream({ 'x-request-id': 'sse-post-1' });
    expect(named.id).toBe('sse-post-1');
    expect(await correlationAt(named.position)).toBe('sse-post-1');
    const unnamed = await stream({});
    expect(unnamed.id).toMatch(UUID);
    expect(await correlationAt(unnamed.position)).toBe(unnamed.id);
  });

  it('over WebSocket: <connection request id>:<operation id>, within 64 characters', async () => {
    const ws = await openRaw(portOf(server), { headers: { 'X-Request-Id': 'ws-conn-1' } });
    await initialise(ws, token);
    const run = async (id: string) => {
      ws.sendJson({ id, type: 'subscribe', payload: { query: POST, variables: { t: threadId, b: `over the socket as ${id.length}` } } });
      const reply = await ws.next((m) => m.id === id && m.type === 'next');
      return (reply.payload as { data: { postMessage: { position: string } } }).data.postMessage.position;
    };
    expect(await correlationAt(await run('op-7'))).toBe('ws-conn-1:op-7');
    const longId = 'o'.repeat(100);
    expect(await correlationAt(await run(longId))).toBe(`ws-conn-1:${longId}`.slice(0, 64));
    ws.socket.destroy();
  });
});
