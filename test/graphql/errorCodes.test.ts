/**
 * Every error has a code, and the same document gets the same code on every
 * transport: HTTP POST (the JSON fast path and yoga behind it), HTTP GET,
 * SSE and WebSocket. Nothing a client sends is an INTERNAL_SERVER_ERROR, a
 * 500 or a stack trace in the log, and nothing is written.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWebHandler } from '../../src/http/webApp.ts';
import { captureLogs, type CapturedLogs } from '../support/captureLogs.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

type Errors = Array<{ message: string; extensions?: { code?: string; field?: string } }>;

describe('error codes on sqlite', () => {
  let server: TestServer;
  let logged: CapturedLogs | undefined;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await server.dispose();
  });
  const watchLog = () => {
    logged = captureLogs('warn');
  };
  afterEach(() => {
    const lines = (logged?.lines ?? []).map((line) => `${line.level} ${line.msg} ${line.err?.stack ?? ''}`.slice(0, 300));
    logged?.stop();
    logged = undefined;
    expect(lines).toEqual([]);
  });

  const post = async (body: string, accept = 'application/graphql-response+json') => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body });
    return { status: response.status, body: (await response.json()) as { errors?: Errors } };
  };
  const viaPost = async (query: string, variables?: unknown) => (await post(JSON.stringify({ query, variables }))).body.errors;
  const viaGet = async (query: string, variables?: unknown) => {
    const params = new URLSearchParams({ query, ...(variables ? { variables: JSON.stringify(variables) } : {}) });
    const response = await fetch(`${server.url}?${params}`, { headers: { accept: 'application/json' } });
    expect(response.status).toBeLessThan(500);
    return ((await response.json()) as { errors?: Errors }).errors;
  };
  /** The first `next` event of an SSE answer. */
  const viaSse = async (query: string, variables?: unknown) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBeLessThan(500);
    const text = await response.text();
    const data = /event: next\ndata: (.*)\n/.exec(text)?.[1];
    if (!data) throw new Error(`no next event in ${text.slice(0, 300)}`);
    return (JSON.parse(data) as { errors?: Errors }).errors;
  };
  const viaWs = (query: string, variables?: Record<string, unknown>) =>
    new Promise<Errors | undefined>((resolve, reject) => {
      const client = server.wsClient();
      let errors: Errors | undefined;
      client.subscribe(
        { query, ...(variables ? { variables } : {}) },
        {
          next: (result) => {
            errors ??= result.errors as Errors | undefined;
          },
          error: (error) => {
            if (Array.isArray(error)) resolve(error as Errors);
            else reject(error instanceof Error ? error : new Error(`socket closed: ${JSON.stringify((error as { code?: number }).code)}`));
          },
          complete: () => resolve(errors),
        },
      );
    });
  const transports = { post: viaPost, get: viaGet, sse: viaSse, ws: viaWs } as const;

  const deep = `{${'threads { edges { node { '.repeat(3000)}id${' } } }'.repeat(3000)}}`;
  const documents: Array<[string, string, Record<string, unknown> | undefined, string]> = [
    ['a syntax error', '{ threads { edges ', undefined, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', '{ nope }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['an undefined variable', 'query { threads(first: $n) { edges { cursor } } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a variable of the wrong type', 'query ($n: Int) { threads(first: $n) { edges { cursor } } }', { n: 'ten' }, 'BAD_USER_INPUT'],
    ['a missing required variable', 'query ($id: ID!) { thread(id: $id) { id } }', {}, 'BAD_USER_INPUT'],
    ['a 3,000-deep document', deep, undefined, 'QUERY_TOO_COMPLEX'],
    ['a document 20 levels deep', `{ thread(id: "x") { messages { edges { node { ${'replyTo { '.repeat(16)}id${' }'.repeat(16)} } } } } }`, undefined, 'QUERY_TOO_COMPLEX'],
    ['40 aliases of __typename', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`, undefined, 'QUERY_TOO_COMPLEX'],
    ['two introspection roots', '{ a: __schema { queryType { name } } b: __type(name: "Query") { name } }', undefined, 'QUERY_TOO_COMPLEX'],
    ['a page of pages', '{ threads(first: 100) { edges { node { messages(last: 500) { edges { node { id body } } } } } } }', undefined, 'QUERY_TOO_COMPLEX'],
  ];

  it.each(documents)('%s gets the same code over POST, GET, SSE and WebSocket', async (_name, query, variables, code) => {
    const before = (await server.logHead());
    watchLog();
    for (const [transport, send] of Object.entries(transports)) {
      // Node refuses a request line over 16 KB itself, before any GraphQL: a 4xx with no body.
      if (transport === 'get' && encodeURIComponent(query).length > 15_000) {
        const response = await fetch(`${server.url}?query=${encodeURIComponent(query)}`);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        continue;
      }
      const errors = await send(query, variables);
      expect(errors?.map((e) => e.extensions?.code), `${transport}: ${JSON.stringify(errors)?.slice(0, 300)}`).toEqual(expect.arrayContaining([code]));
      expect(errors?.every((e) => typeof e.extensions?.code === 'string' && e.extensions.code !== 'INTERNAL_SERVER_ERROR'), transport).toBe(true);
    }
    expect((await server.logHead())).toBe(before);
  });

  it('40,000 event type names are a BAD_USER_INPUT naming `types`, on every transport but GET (no URL that long)', async () => {
    watchLog();
    const query = 'query ($t: [String!]) { events(types: $t) { position } }';
    const variables = { t: Array.from({ length: 40_000 }, (_, i) => `Type${i}`) };
    for (const send of [viaPost, viaSse, viaWs]) {
      const errors = await send(query, variables);
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'types' });
    }
    // Fifty names are allowed (unknown ones are refused for what they are, not for their number).
    const known = ['UserRegistered', 'ThreadCreated', 'MessagePosted'];
    const fifty = await server.gql(query, { t: Array.from({ length: 50 }, (_, i) => known[i % known.length]) });
    expect(fifty.errors).toBeUndefined();
  });

  it('malformed bodies and non-object variables are refused with a code and a 4xx', async () => {
    watchLog();
    for (const body of ['{"query": ', 'null', '[1,2]', '"text"', JSON.stringify({ query: '{ me { id } }', variables: 'x' }), JSON.stringify({ query: '{ me { id } }', variables: [1] }), JSON.stringify({ query: 7 })]) {
      for (const accept of ['application/json', 'application/graphql-response+json']) {
        const { status, body: answer } = await post(body, accept);
        expect(status, body).toBeGreaterThanOrEqual(400);
        expect(status, body).toBeLessThan(500);
        expect(answer.errors?.[0]?.extensions?.code, body).toMatch(/^(BAD_REQUEST|BAD_USER_INPUT)$/);
      }
    }
  });

  it('GET parameters that are not JSON objects are a 400 with a code, never an unexpected error', async () => {
    watchLog();
    for (const [name, value] of [['variables', 'x'], ['variables', '{'], ['variables', '\u0000'], ['variables', '[1]'], ['extensions', 'x']] as const) {
      const params = new URLSearchParams({ query: '{ __typename }', [name]: value });
      const response = await fetch(`${server.url}?${params}`, { headers: { accept: 'application/json' } });
      const answer = (await response.json()) as { errors?: Errors };
      expect(response.status, `${name}=${value}`).toBe(400);
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    }
    const fine = await fetch(`${server.url}?${new URLSearchParams({ query: '{ __typename }', variables: 'null' })}`, { headers: { accept: 'application/json' } });
    expect(fine.status).toBe(200);
  });

  it('a subscription refused at subscribe time answers 200 with its code, over SSE and GET', async () => {
    watchLog();
    const query = 'subscription { threadEvents(threadId: "nope") { __typename } }';
    const sse = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(sse.status).toBe(200);
    expect(await sse.text()).toContain('BAD_USER_INPUT');
    const get = await fetch(`${server.url}?${new URLSearchParams({ query })}`, { headers: { accept: 'application/graphql-response+json' } });
    expect(get.status).toBeLessThan(500);
    expect(((await get.json()) as { errors?: Errors }).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a WebSocket survives a 3,000-deep document and keeps serving', async () => {
    watchLog();
    const client = server.wsClient();
    const errors = await new Promise<unknown>((resolve, reject) =>
      client.subscribe({ query: deep }, { next: () => {}, error: resolve, complete: () => reject(new Error('completed')) }),
    );
    expect((errors as Errors)[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const answer = await new Promise<unknown>((resolve, reject) => client.subscribe({ query: '{ __typename }' }, { next: resolve, error: reject, complete: () => {} }));
    expect(answer).toEqual({ data: { __typename: 'Query' } });
  });

  it('a subscription POSTed without text/event-stream in Accept gets 406 at once', async () => {
    watchLog();
    const started = Date.now();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: '*/*' },
      body: JSON.stringify({ query: 'subscription { events { position } }' }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(406);
    await response.body?.cancel();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('GET /%00 is a 404, from the API server and from the web app handler, with nothing logged', async () => {
    watchLog();
    for (const path of ['/%00', '/graphql%00', '/%00/index.html']) {
      const response = await fetch(server.url.replace('/graphql', path));
      expect(response.status, path).toBe(404);
    }
    const web = createWebHandler();
    const http = createServer((req, res) => {
      if (!web(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/%00`);
      expect(response.status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});
