/**
 * deploy/nginx/thrds.conf, run by Debian's nginx in front of a real Thrds
 * server: HTTP redirects to HTTPS; over TLS, mutations and queries pass with
 * the client's X-Request-Id (or nginx's own) arriving as the events'
 * correlation id, a graphql-ws subscription from a page's origin receives a live
 * message, and an SSE stream delivers its event while it stays open (no buffering).
 */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { relaxedProtection } from '../support/protection.ts';
import { CREATE_THREAD, POST, REGISTER, startTestServer, THREAD_EVENTS, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';
import { httpsFetch, openSse } from './support/httpsClient.ts';
import { NGINX_BINARY, type NginxInFront, startNginxInFront } from './support/nginxInFront.ts';
import { httpGet } from './support/httpGet.ts';

interface Posted {
  threadEvents: { type: string; position: string; message?: { body: string } };
}

describe.skipIf(!NGINX_BINARY && process.env.CI !== 'true')('deploy/nginx/thrds.conf in front of Thrds', () => {
  let thrds: TestServer;
  let nginx: NginxInFront;
  let base: string;
  let ca: string;
  let token: string;
  let threadId: string;

  beforeAll(async () => {
    thrds = await startTestServer('sqlite', undefined, { protection: relaxedProtection({ trustProxy: true }) });
    nginx = await startNginxInFront(Number(new URL(thrds.url).port));
    base = `https://127.0.0.1:${nginx.httpsPort}`;
    ca = nginx.certificate.pem;
    token = (await gql<{ register: { token: string } }>(REGISTER, { u: 'proxied', p: 'correct horse', d: 'Proxied' })).register.token;
    threadId = (await gql<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, { title: 'Through nginx' }, { authorization: `Bearer ${token}` })).createThread.thread.id;
  });
  afterAll(async () => {
    await nginx?.stop();
    await thrds?.dispose();
  });

  async function gql<T>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<T> {
    const answer = await httpsFetch(`${base}/graphql`, ca, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const result = JSON.parse(answer.body) as { data?: T; errors?: unknown[] };
    if (answer.status !== 200 || result.errors) throw new Error(`${answer.status} ${answer.body}\nnginx: ${nginx.errorLog()}`);
    return result.data as T;
  }

  const correlationOf = async (position: string) => {
    const { events } = await gql<{ events: Array<{ position: string; correlationId: string }> }>('{ events(first: 1000) { position correlationId } }');
    return events.find((event) => event.position === position)?.correlationId;
  };

  it('redirects plain HTTP to HTTPS', async () => {
    const answer = await httpGet(`http://127.0.0.1:${nginx.httpPort}/threads/x?y=1`);
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe('https://127.0.0.1/threads/x?y=1');
  });

  it('serves GraphQL over TLS with HSTS, and passes the client X-Request-Id through (else sends its own) as the correlation id', async () => {
    const answer = await httpsFetch(`${base}/healthz`, ca);
    expect(answer.status).toBe(200);
    expect(answer.headers['strict-transport-security']).toMatch(/max-age=\d+/);

    const mine = await gql<{ postMessage: { position: string } }>(POST, { t: threadId, b: 'with my id' }, { authorization: `Bearer ${token}`, 'x-request-id': 'client-chose-this-1' });
    expect(await correlationOf(mine.postMessage.position)).toBe('client-chose-this-1');
    const theirs = await gql<{ postMessage: { position: string } }>(POST, { t: threadId, b: 'with nginx id' }, { authorization: `Bearer ${token}` });
    const generated = await correlationOf(theirs.postMessage.position);
    expect(generated).toMatch(/^[0-9a-f]{32}$/); // nginx's $request_id
    expect(nginx.accessLog()).toContain(`request_id=${generated}`);
  });

  it('refuses /metrics from outside', async () => {
    expect((await httpsFetch(`${base}/metrics`, ca)).status).toBe(403);
  });

  it('upgrades a WebSocket from the page origin and delivers a live message over graphql-ws (wss)', async () => {
    const origin = `https://127.0.0.1:${nginx.httpsPort}`;
    class TrustingWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { ca, headers: { origin } });
      }
    }
    const client = createClient({ url: `wss://127.0.0.1:${nginx.httpsPort}/graphql`, webSocketImpl: TrustingWebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
    try {
      const subscription = client.iterate<Posted>({ query: THREAD_EVENTS, variables: { t: threadId, after: '0' } });
      expect((await subscription.next()).value?.data?.threadEvents.type).toBe('ThreadCreated');
      const sent = Date.now();
      const body = `live over wss ${sent}`;
      await gql(POST, { t: threadId, b: body }, { authorization: `Bearer ${token}` });
      for (;;) {
        const event = (await subscription.next()).value?.data?.threadEvents;
        if (event?.message?.body === body) break;
      }
      expect(Date.now() - sent).toBeLessThan(3000);
      await subscription.return?.();
    } finally {
      await client.dispose();
    }
  });

  it('streams an SSE subscription through it: the next message arrives while the stream stays open', async () => {
    const stream = await openSse(`${base}/graphql`, ca, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ query: THREAD_EVENTS, variables: { t: threadId } }), // live only
    });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      // Wait for the subscription to be in the feed before posting (it counts in /healthz once it is).
      await waitFor(async () => (await thrds.health()).sseSubscriptions > 0, { what: 'the SSE subscription to count in /healthz' });
      const body = `live over SSE ${Date.now()}`;
      const sent = Date.now();
      await gql(POST, { t: threadId, b: body }, { authorization: `Bearer ${token}` });
      const received = await stream.nextEvent((data) => {
        const event = (data as { data?: Posted }).data?.threadEvents;
        return event?.message?.body === body ? event : undefined;
      }, 3000);
      expect(received.type).toBe('MessagePosted');
      expect(Date.now() - sent).toBeLessThan(3000);
    } finally {
      stream.close();
    }
  });
});
