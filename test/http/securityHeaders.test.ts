/**
 * Every `/graphql` answer carries nosniff, no-referrer and a CSP, whichever
 * path wrote it (the fast path, yoga, a refusal, the 413, an SSE stream);
 * GraphiQL's page gets a CSP that lets its own scripts run and nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CSP, inlineScriptHashes } from '../../src/http/securityHeaders.ts';
import { relaxedProtection } from '../support/protection.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describe('security headers on /graphql', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', undefined, { protection: relaxedProtection() });
  });
  afterAll(async () => {
    await server.dispose();
  });

  const expectApiHeaders = (response: Response, what: string) => {
    expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
    expect(response.headers.get('referrer-policy'), what).toBe('no-referrer');
    expect(response.headers.get('content-security-policy'), what).toBe(API_CSP);
  };

  const json = (body: string, headers: Record<string, string> = {}) =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body });

  it('are on answers from the fast path, yoga, every refusal and the 413', async () => {
    const cases: Array<[string, Promise<Response>, number]> = [
      ['fast path', json(JSON.stringify({ query: '{ me { id } }' })), 200],
      ['yoga: GET query', fetch(`${server.url}?query=${encodeURIComponent('{ me { id } }')}`), 200],
      ['yoga: invalid document', json(JSON.stringify({ query: '{ nope }' }), { accept: 'application/graphql-response+json' }), 400],
      ['yoga: malformed JSON', json('{"query": '), 400],
      ['origin refused', json(JSON.stringify({ query: '{ me { id } }' }), { origin: 'https://evil.example' }), 403],
      ['form refused', fetch(server.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ me { id } }"}' }), 403],
      ['subscription without an event stream', json(JSON.stringify({ query: 'subscription { events { position } }' }), { accept: '*/*' }), 406],
      ['over 1 MiB', json(JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(1024 * 1024)}` })), 413],
    ];
    for (const [what, answer, status] of cases) {
      const response = await answer;
      expect(response.status, what).toBe(status);
      expectApiHeaders(response, what);
      await response.arrayBuffer();
    }
  });

  it('are on an SSE stream', async () => {
    const controller = new AbortController();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { events { position } }' }),
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expectApiHeaders(response, 'SSE');
    controller.abort();
  });

  it("give GraphiQL's page a CSP naming the hash of each of its inline scripts, and no 'unsafe-inline' script", async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
    const hashes = inlineScriptHashes(html);
    expect(hashes.length).toBeGreaterThan(0);
    for (const hash of hashes) expect(scriptSrc).toContain(hash);
    expect(scriptSrc).not.toContain('unsafe-inline');
    // Each external asset the page names is from a source its CSP allows.
    for (const [, url] of html.matchAll(/(?:src|href)=["']?(https:\/\/[^"' >]+)/g)) expect(csp).toContain(new URL(url!).origin);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
