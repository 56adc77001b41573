/**
 * Who may call `/graphql` from a browser page: the server's own origin and
 * those in THRDS_ALLOWED_ORIGINS get CORS with credentials; any other origin
 * is refused with 403 before anything runs; clients without an Origin
 * (curl, servers) are served. And a cross-site HTML form cannot write, even
 * when the browser sends no Origin at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relaxedProtection } from '../support/protection.ts';
import { REGISTER, startTestServer, type TestServer } from '../support/server.ts';

const FRIEND = 'https://chat.example';
const STRANGER = 'https://evil.example';

describe('origins and CSRF on /graphql', () => {
  let server: TestServer;
  let own: string;
  beforeAll(async () => {
    server = await startTestServer('sqlite', undefined, { protection: relaxedProtection({ allowedOrigins: [FRIEND] }) });
    own = new URL(server.url).origin;
  });
  afterAll(async () => {
    await server.dispose();
  });

  const register = (username: string, headers: Record<string, string>) =>
    fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query: REGISTER, variables: { u: username, p: 'correct horse', d: username } }),
    });

  const canLogIn = async (username: string) => {
    const result = await server.gql('mutation ($u: String!) { login(input: { username: $u, password: "correct horse" }) { token } }', { u: username });
    return !result.errors?.length;
  };

  it('gives an allowed origin CORS with credentials on the fast path and on yoga, and answers its preflight', async () => {
    const fast = await register('friend_1', { origin: FRIEND });
    expect(fast.status).toBe(200);
    expect(fast.headers.get('access-control-allow-origin')).toBe(FRIEND);
    expect(fast.headers.get('access-control-allow-credentials')).toBe('true');
    expect(fast.headers.get('vary')).toMatch(/Origin/);
    expect(fast.headers.get('access-control-expose-headers')).toBe('Retry-After, X-Request-Id');

    // A GET query and an invalid document are yoga's to answer.
    const viaYoga = await fetch(`${server.url}?query=${encodeURIComponent('{ me { id } }')}`, { headers: { origin: FRIEND, accept: 'application/json' } });
    expect(viaYoga.status).toBe(200);
    expect(viaYoga.headers.get('access-control-allow-origin')).toBe(FRIEND);
    const invalid = await fetch(server.url, {
      method: 'POST',
      headers: { origin: FRIEND, 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: '{"query": "{ nope }"}',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('access-control-allow-origin')).toBe(FRIEND);

    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: FRIEND, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(FRIEND);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('refuses any other origin with 403 FORBIDDEN and no CORS headers, before anything runs: its register writes nothing', async () => {
    const before = (await server.logHead());
    const refused = await register('stranger_1', { origin: STRANGER });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-credentials')).toBeNull();
    const body = (await refused.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('FORBIDDEN');
    expect((await server.logHead())).toBe(before);
    expect(await canLogIn('stranger_1')).toBe(false);

    const preflight = await fetch(server.url, { method: 'OPTIONS', headers: { origin: STRANGER, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${server.url}?query=${encodeURIComponent('{ me { id } }')}`, { headers: { origin: STRANGER } });
    expect(get.status).toBe(403);
    // `Origin: null` (sandboxed frames, some redirects) is no origin we know either.
    expect((await register('stranger_2', { origin: 'null' })).status).toBe(403);
  });

  it("serves the server's own origin and clients that send no Origin", async () => {
    const sameOrigin = await register('own_1', { origin: own });
    expect(sameOrigin.status).toBe(200);
    expect(((await sameOrigin.json()) as { errors?: unknown }).errors).toBeUndefined();
    const noOrigin = await register('curl_1', {});
    expect(noOrigin.status).toBe(200);
    expect(noOrigin.headers.get('access-control-allow-origin')).toBeNull();
    expect(await canLogIn('own_1')).toBe(true);
    expect(await canLogIn('curl_1')).toBe(true);
  });

  it('refuses a register sent as an HTML form (urlencoded, multipart, text/plain) with 403, even with no Origin or our own, and writes nothing', async () => {
    const before = (await server.logHead());
    const query = `mutation { register(input: { username: "formed", password: "correct horse", displayName: "F" }) { token } }`;
    const multipart = new FormData();
    multipart.set('query', query);
    const attempts: Array<{ body: BodyInit; type?: string }> = [
      { body: new URLSearchParams({ query }).toString(), type: 'application/x-www-form-urlencoded' },
      { body: multipart },
      { body: JSON.stringify({ query }), type: 'text/plain' },
      { body: JSON.stringify({ query }), type: 'text/plain;charset=UTF-8' },
    ];
    for (const origin of [undefined, own]) {
      for (const attempt of attempts) {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { ...(attempt.type ? { 'content-type': attempt.type } : {}), ...(origin ? { origin } : {}) },
          body: attempt.body,
        });
        expect(response.status, `${attempt.type ?? 'multipart/form-data'} from ${origin ?? 'no origin'}`).toBe(403);
        const body = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
        expect(body.errors[0]!.extensions).toEqual({ code: 'FORBIDDEN' });
      }
    }
    expect((await server.logHead())).toBe(before);
    expect(await canLogIn('formed')).toBe(false);
  });

  it("serves a form-encoded request that carries yoga's CSRF header (no form can set it)", async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
      body: new URLSearchParams({ query: '{ threads(first: 1) { edges { cursor } } }' }).toString(),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { threads: { edges: [] } } });
  });

  it('still serves GraphiQL to a browser, and answers its JSON requests', async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/graphiql/i);
    // What GraphiQL sends: a JSON POST from the page's own origin.
    const query = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json, multipart/mixed', origin: own },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(query.status).toBe(200);
    expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
