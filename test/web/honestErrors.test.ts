/**
 * The pure parts of honest errors (issue 16, item 4): what the indicator
 * shows for each pair of socket state and HTTP health, how HTTP health is
 * read off real answers (a real server that answers 200 or 503, and a port
 * nobody listens on), when a failed load tries again by itself, the reader's
 * words for each failure, and the stored viewer read back safely.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionState, createConnectionStatus, type HttpHealth, type SocketState } from '../../web/src/api/connectionStatus.ts';
import { createTrackedFetch } from '../../web/src/api/trackedFetch.ts';
import { retryDelayMs } from '../../web/src/api/retryDelay.ts';
import { describeLoadFailure } from '../../web/src/api/loadFailure.ts';
import type { ErrorCode } from '../../web/src/api/errors.ts';
import { parseViewer } from '../../web/src/shell/cachedViewer.ts';

describe('connectionState', () => {
  it('is Server trouble, not Live, when the socket is live and HTTP is answered with 5xx', () => {
    expect(connectionState('live', 'ok')).toBe('live');
    expect(connectionState('live', 'failing')).toBe('trouble');
    // One request with no answer under a live socket: the socket is the better witness.
    expect(connectionState('live', 'unreachable')).toBe('live');
  });

  it('says Offline when neither the socket nor HTTP reaches the server, and when the browser says so', () => {
    expect(connectionState('reconnecting', 'unreachable')).toBe('offline');
    expect(connectionState('connecting', 'unreachable')).toBe('offline');
    for (const http of ['ok', 'failing', 'unreachable'] as const) expect(connectionState('offline', http)).toBe('offline');
  });

  it('keeps the socket state while it reconnects and HTTP has no news or a server error', () => {
    const socket: SocketState[] = ['connecting', 'reconnecting'];
    const http: HttpHealth[] = ['ok', 'failing'];
    for (const s of socket) for (const h of http) expect(connectionState(s, h)).toBe(s);
  });

  it('notifies listeners when the shown state changes, and recovers on the next good answer', () => {
    const status = createConnectionStatus('connecting');
    const seen: string[] = [];
    status.subscribe(() => seen.push(status.get()));
    status.set('live');
    status.setHttp('failing');
    status.setHttp('failing');
    status.setHttp('ok');
    expect(seen).toEqual(['live', 'trouble', 'live']);
  });
});

describe('createTrackedFetch against a real server', () => {
  let server: Server;
  let base: string;
  let answer = 200;

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(answer, { 'content-type': 'text/plain' }).end('answer'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reports a 5xx as failing, a 4xx or 2xx as ok, and no answer at all as unreachable', async () => {
    const reports: HttpHealth[] = [];
    const tracked = createTrackedFetch((health) => reports.push(health));
    answer = 503;
    expect((await tracked(`${base}/graphql`)).status).toBe(503);
    answer = 400;
    await tracked(`${base}/graphql`);
    answer = 200;
    await tracked(`${base}/graphql`);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(tracked(`http://127.0.0.1:${deadPort}/graphql`)).rejects.toThrow();
    expect(reports).toEqual(['failing', 'ok', 'ok', 'unreachable']);
  });

  it('says nothing about the server when the page cancelled the request', async () => {
    const reports: HttpHealth[] = [];
    const tracked = createTrackedFetch((health) => reports.push(health));
    const controller = new AbortController();
    controller.abort();
    await expect(tracked(`${base}/graphql`, { signal: controller.signal })).rejects.toThrow();
    expect(reports).toEqual([]);
  });
});

describe('retryDelayMs', () => {
  it('never retries by itself what will fail the same way again', () => {
    for (const code of ['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'BAD_USER_INPUT'] as const) expect(retryDelayMs(code, 0)).toBeNull();
  });

  it('backs off from one second, doubling, up to thirty, for no answer or a failing server', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => retryDelayMs('NETWORK', n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(retryDelayMs('UNKNOWN', 0)).toBe(1000);
  });

  it('waits as long as the server asked when it asked', () => {
    expect(retryDelayMs('RATE_LIMITED', 3, 7)).toBe(7000);
    expect(retryDelayMs('UNAVAILABLE', 0, 2)).toBe(2000);
  });
});

describe('describeLoadFailure', () => {
  it('tells a missing or malformed thread and a forbidden one in the reader words, with nothing to retry', () => {
    expect(describeLoadFailure('NOT_FOUND', 'thread')).toEqual({ text: "This thread doesn't exist or was removed.", retryable: false });
    expect(describeLoadFailure('BAD_USER_INPUT', 'thread')).toEqual({ text: "This thread doesn't exist or was removed.", retryable: false });
    expect(describeLoadFailure('FORBIDDEN', 'thread')).toEqual({ text: "You don't have access to this thread.", retryable: false });
    expect(describeLoadFailure('UNAUTHENTICATED', 'threads').retryable).toBe(false);
  });

  it('offers a retry for every failure that can pass, naming what failed', () => {
    const passing: ErrorCode[] = ['NETWORK', 'RATE_LIMITED', 'UNAVAILABLE', 'CONFLICT', 'UNKNOWN'];
    for (const code of passing) {
      const { text, retryable } = describeLoadFailure(code, 'threads');
      expect(retryable).toBe(true);
      expect(text).toMatch(/^The threads could not be loaded\. /);
    }
  });
});

describe('parseViewer', () => {
  it('reads back a stored viewer and refuses anything that is not one', () => {
    const ada = { id: 'u1', username: 'ada', displayName: 'Ada', role: 'ADMIN', isBot: false, avatarUrl: '/files/a1/avatar' };
    expect(parseViewer(ada)).toEqual(ada);
    // A picture only from the server's own /files; a stored viewer from before avatars has none.
    expect(parseViewer({ ...ada, avatarUrl: 'https://elsewhere.example/me.png' })?.avatarUrl).toBeNull();
    const { avatarUrl: _, ...older } = ada;
    expect(parseViewer(older)).toEqual({ ...older, avatarUrl: null });
    expect(parseViewer({ ...ada, role: 'ROOT' })).toBeNull();
    expect(parseViewer({ ...ada, id: 7 })).toBeNull();
    expect(parseViewer(null)).toBeNull();
    expect(parseViewer('ada')).toBeNull();
  });
});
