/** GraphQL over HTTP as clients meet it: media types, status codes, CORS, malformed requests. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relaxedProtection } from '../support/protection.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describe('GraphQL over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', undefined, { protection: relaxedProtection({ allowedOrigins: ['https://chat.example'] }) });
  });
  afterAll(async () => {
    await server.dispose();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('answers application/json with 200 and the data', async () => {
    const response = await post(JSON.stringify({ query: '{ threads(first: 1) { edges { cursor } } }' }), { accept: 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    // Sized, not chunked: lean clients read exactly that many bytes.
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toEqual({ data: { threads: { edges: [] } } });
  });

  it('answers application/graphql-response+json, with 400 for a request error such as bad variables', async () => {
    const ok = await post(JSON.stringify({ query: '{ me { id } }' }), { accept: 'application/graphql-response+json' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    const bad = await post(JSON.stringify({ query: 'query ($p: Position) { events(after: $p) { position } }', variables: { p: 'abc' } }), {
      accept: 'application/graphql-response+json',
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses an invalid document, malformed JSON and a missing query with 400', async () => {
    const invalid = await post(JSON.stringify({ query: '{ nope }' }), { accept: 'application/graphql-response+json' });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(await invalid.json())).toContain('nope');
    expect((await post('{"query": ', { accept: 'application/json' })).status).toBe(400);
    expect((await post(JSON.stringify({ variables: {} }), { accept: 'application/graphql-response+json' })).status).toBe(400);
  });

  it('allows the cross-origin clients THRDS_ALLOWED_ORIGINS names, and refuses other origins with 403', async () => {
    const response = await post(JSON.stringify({ query: '{ me { id } }' }), { accept: 'application/json', origin: 'https://chat.example' });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://chat.example');
    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://chat.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://chat.example');
    const stranger = await post(JSON.stringify({ query: '{ me { id } }' }), { accept: 'application/json', origin: 'https://evil.example' });
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const response = await post(JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(1024 * 1024)}` }), { accept: 'application/json' });
    expect(response.status).toBe(413);
  });

  it('serves GraphiQL to a browser', async () => {
    const response = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/graphiql/i);
  });
});
