/**
 * One execute path, one answer: the same document gets the same
 * `extensions.code` whichever door it comes in by. The JSON fast path
 * (POST /graphql), yoga (POST /graphql?…, which the fast path does not take,
 * and GET), SSE and the WebSocket gateway all prepare through the one
 * operation cache (limits included), run with the one context factory and
 * answer through the one error policy. No refusal is a 5xx, none is logged
 * as a bug, and nothing is written.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, type CapturedLogs } from '../support/captureLogs.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

type Errors = ReadonlyArray<{ message: string; extensions?: { code?: string } }>;
type Variables = Record<string, unknown> | undefined;
type Send = (query: string, variables: Variables) => Promise<Errors | undefined>;

describe('the same code on every transport', () => {
  let server: TestServer;
  let logs: CapturedLogs;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await server?.dispose();
  });
  afterEach(() => logs?.stop());

  /** A JSON POST; `path` '/graphql' is the fast path's, anything else after it yoga's. */
  const post = (suffix: string): Send => async (query, variables) => {
    const response = await fetch(`${server.url}${suffix}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
    expect(response.status, `POST /graphql${suffix}`).toBeLessThan(500);
    return ((await response.json()) as { errors?: Errors }).errors;
  };
  const get: Send = async (query, variables) => {
    const params = new URLSearchParams({ query, ...(variables ? { variables: JSON.stringify(variables) } : {}) });
    const response = await fetch(`${server.url}?${params}`, { headers: { accept: 'application/graphql-response+json' } });
    expect(response.status, 'GET').toBeLessThan(500);
    return ((await response.json()) as { errors?: Errors }).errors;
  };
  /** The first `next` event of an SSE answer, which must be a 200 (graphql-sse retries anything else as a network failure). */
  const sse: Send = async (query, variables) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    expect(response.status, `SSE: ${text.slice(0, 300)}`).toBe(200);
    const data = /event: next\ndata: (.*)\n/.exec(text)?.[1];
    if (!data) throw new Error(`no next event in ${text.slice(0, 300)}`);
    return (JSON.parse(data) as { errors?: Errors }).errors;
  };
  /** graphql-ws: an `error` message (the operation was refused) or the errors of its `next`. */
  const ws: Send = (query, variables) =>
    new Promise((resolve, reject) => {
      const client = server.wsClient();
      let errors: Errors | undefined;
      client.subscribe(
        { query, ...(variables ? { variables } : {}) },
        {
          next: (result) => {
            errors ??= result.errors as Errors | undefined;
          },
          error: (error) => (Array.isArray(error) ? resolve(error as Errors) : reject(new Error(`socket closed: ${JSON.stringify(error)}`))),
          complete: () => resolve(errors),
        },
      );
    });
  const transports = { 'fast path': post(''), 'yoga POST': post('?via=yoga'), GET: get, SSE: sse, WebSocket: ws } as const;
  type Transport = keyof typeof transports;
  const every = Object.keys(transports) as Transport[];

  const deep = `{ thread(id: "x") { messages { edges { node { ${'replyTo { '.repeat(16)}id${' }'.repeat(16)} } } } } }`;
  const cases: Array<{ name: string; query: string; variables?: Record<string, unknown>; code: string; over: readonly Transport[] }> = [
    { name: 'a syntax error', query: '{ threads { edges ', code: 'GRAPHQL_PARSE_FAILED', over: every },
    { name: 'an unknown field', query: '{ nope }', code: 'GRAPHQL_VALIDATION_FAILED', over: every },
    { name: 'a variable of the wrong type', query: 'query ($n: Int) { threads(first: $n) { edges { cursor } } }', variables: { n: 'ten' }, code: 'BAD_USER_INPUT', over: every },
    { name: 'a document over the depth limit', query: deep, code: 'QUERY_TOO_COMPLEX', over: every },
    {
      name: 'a mutation without a token',
      query: 'mutation ($t: ID!) { postMessage(input: { threadId: $t, body: "hello" }) { position } }',
      variables: { t: randomUUID() },
      code: 'UNAUTHENTICATED',
      // GraphQL over HTTP: a mutation never travels by GET.
      over: ['fast path', 'yoga POST', 'SSE', 'WebSocket'],
    },
    {
      name: 'a threadEvents subscription to an unknown thread',
      query: 'subscription ($t: ID!) { threadEvents(threadId: $t) { __typename } }',
      variables: { t: randomUUID() },
      code: 'NOT_FOUND',
      // A subscription needs a stream: SSE or a WebSocket (a JSON POST of one is a 406).
      over: ['SSE', 'WebSocket'],
    },
  ];

  it.each(cases)('$name gets $code over every transport that can carry it', async ({ query, variables, code, over }) => {
    const before = (await server.logHead());
    logs = captureLogs('warn');
    const codes: Record<string, Array<string | undefined> | undefined> = {};
    for (const transport of over) codes[transport] = (await transports[transport](query, variables))?.map((error) => error.extensions?.code);
    expect(codes).toEqual(Object.fromEntries(over.map((transport) => [transport, [code]])));
    expect(logs.lines.map((line) => `${line.level} ${line.msg}`)).toEqual([]);
    expect((await server.logHead())).toBe(before);
  });

  // GraphQL over HTTP, application/graphql-response+json: no `data` entry (the request was refused before it ran) is a 400;
  // `data: null` (a field error reached the root: here the mutation's payload) is a 200, a partial response.
  // application/json: always a 200 with the errors in the body.
  const statuses: Record<string, number> = { 'a mutation without a token': 200 };
  const posted = cases.filter((c) => c.over.includes('fast path')).map((c) => ({ ...c, status: statuses[c.name] ?? 400 }));
  it.each(posted)('$name gets the same HTTP status from the fast path and from yoga, under either media type', async ({ query, variables, status }) => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const answered = [];
      for (const suffix of ['', '?via=yoga']) {
        const response = await fetch(`${server.url}${suffix}`, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query, variables }) });
        await response.arrayBuffer();
        answered.push(response.status);
      }
      expect(answered, accept).toEqual(accept === 'application/json' ? [200, 200] : [status, status]);
    }
  });
});
