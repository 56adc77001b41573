/**
 * What an SSE client reads on the wire: each subscription event carries its
 * log position as its SSE `id`, `Last-Event-ID` resumes a stream the way
 * `after` does, and an operation refused before it streams anything is
 * answered 200 with its errors in a `next` event, then `complete`, as the
 * GraphQL over SSE protocol asks (a 4xx or 5xx makes graphql-sse retry and
 * tells a browser's EventSource nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';

interface SseEvent {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

const EVENTS = `subscription ($t: ID!, $after: Position) {
  threadEvents(threadId: $t, after: $after) { ... on MessagePosted { position message { body } } ... on ThreadCreated { position } }
}`;

let server: TestServer;
let token: string;
let threadId: string;
/** The thread's events: ThreadCreated, then three messages. */
let positions: string[];

beforeAll(async () => {
  server = await startTestServer('sqlite');
  token = (await signUp(server, 'sse_reader')).token;
  const created = await server.ok<{ createThread: { position: string; thread: { id: string } } }>(CREATE_THREAD, { title: 'On the wire' }, token);
  threadId = created.createThread.thread.id;
  positions = [created.createThread.position];
  for (const body of ['one', 'two', 'three']) positions.push((await server.ok<{ postMessage: { position: string } }>(POST, { t: threadId, b: body }, token)).postMessage.position);
});

afterAll(async () => {
  await server?.dispose();
});

/** The complete events in an SSE text (comments, the pings, left out). */
function parse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split('\n\n').slice(0, -1)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
    }
    if (fields.has('event')) events.push({ id: fields.get('id'), event: fields.get('event')!, data: fields.get('data') ?? '' });
  }
  return events;
}

/** Opens a stream and reads it until `enough` holds for its events or the server ends it; the status and the events. */
async function stream(request: { query: string; variables?: Record<string, unknown>; headers?: Record<string, string>; get?: boolean }, enough: (events: SseEvent[]) => boolean): Promise<{ status: number; events: SseEvent[] }> {
  const controller = new AbortController();
  const headers = { accept: 'text/event-stream', ...request.headers };
  const body = { query: request.query, variables: request.variables ?? {} };
  const response = request.get
    ? await fetch(`${server.url}?${new URLSearchParams({ query: body.query, variables: JSON.stringify(body.variables) })}`, { headers, signal: controller.signal })
    : await fetch(server.url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { status: response.status, events: parse(text) };
      text += decoder.decode(value, { stream: true });
      if (enough(parse(text))) return { status: response.status, events: parse(text) };
    }
  } finally {
    controller.abort();
  }
}

const count = (n: number) => (events: SseEvent[]) => events.length >= n;
const completed = (events: SseEvent[]) => events.some((event) => event.event === 'complete');
const positionIn = (event: SseEvent) => (JSON.parse(event.data) as { data: { threadEvents: { position: string } } }).data.threadEvents.position;
const codesIn = (event: SseEvent) => (JSON.parse(event.data) as { errors: Array<{ extensions: { code: string } }> }).errors.map((error) => error.extensions.code);

describe('SSE event ids', () => {
  it('gives each event its log position as its id', async () => {
    const { status, events } = await stream({ query: EVENTS, variables: { t: threadId, after: '0' } }, count(4));
    expect(status).toBe(200);
    expect(events.map((event) => event.event)).toEqual(['next', 'next', 'next', 'next']);
    expect(events.map((event) => event.id)).toEqual(positions);
    expect(events.map(positionIn)).toEqual(positions);
  });

  it('gives an event its id when the client did not select its position', async () => {
    const query = 'subscription ($t: ID!) { threadEvents(threadId: $t, after: "0") { __typename } }';
    const { events } = await stream({ query, variables: { t: threadId } }, count(4));
    expect(events.map((event) => event.id)).toEqual(positions);
    expect(events.map((event) => JSON.parse(event.data) as unknown)).toEqual([
      { data: { threadEvents: { __typename: 'ThreadCreated' } } },
      ...positions.slice(1).map(() => ({ data: { threadEvents: { __typename: 'MessagePosted' } } })),
    ]);
  });

  it('gives no id to a result that is not a log event: a query answered over SSE', async () => {
    const { status, events } = await stream({ query: '{ me { id } }' }, completed);
    expect(status).toBe(200);
    expect(events).toEqual([
      { id: undefined, event: 'next', data: '{"data":{"me":null}}' },
      { id: undefined, event: 'complete', data: '' },
    ]);
  });
});

describe('Last-Event-ID', () => {
  it('resumes after the event it names, as `after` would: each later event once, none before', async () => {
    const lastSeen = positions[1]!;
    const { events } = await stream({ query: EVENTS, variables: { t: threadId, after: positions[0] }, headers: { 'last-event-id': lastSeen } }, count(2));
    expect(events.map((event) => event.id)).toEqual(positions.slice(2));
  });

  it('resumes a live-only subscription (no `after`) after the event it names', async () => {
    const { events } = await stream({ query: EVENTS, variables: { t: threadId }, headers: { 'last-event-id': positions[2]! } }, count(1));
    expect(events.map((event) => event.id)).toEqual(positions.slice(3));
  });

  it('resumes an EventSource-style GET, whose URL keeps the `after` it first had', async () => {
    const { events } = await stream({ query: EVENTS, variables: { t: threadId, after: '0' }, headers: { 'last-event-id': positions[1]! }, get: true }, count(2));
    expect(events.map((event) => event.id)).toEqual(positions.slice(2));
  });

  it('never goes back before a later `after`', async () => {
    const { events } = await stream({ query: EVENTS, variables: { t: threadId, after: positions[2] }, headers: { 'last-event-id': positions[0]! } }, count(1));
    expect(events.map((event) => event.id)).toEqual(positions.slice(3));
  });

  it('that is not a position is a BAD_USER_INPUT error in the stream, and nothing else is sent', async () => {
    for (const header of ['yesterday', '-1', '1.5', '99999999999999999999']) {
      const { status, events } = await stream({ query: EVENTS, variables: { t: threadId, after: '0' }, headers: { 'last-event-id': header } }, completed);
      expect(status, header).toBe(200);
      expect(events.map((event) => event.event), header).toEqual(['next', 'complete']);
      expect(codesIn(events[0]!), header).toEqual(['BAD_USER_INPUT']);
      expect(events[0]!.id, header).toBeUndefined();
    }
  });
});

describe('refusals over SSE', () => {
  const refusals: Array<[string, { query: string; variables?: Record<string, unknown> }, string]> = [
    ['an unknown thread', { query: EVENTS, variables: { t: '00000000-0000-4000-8000-000000000000' } }, 'NOT_FOUND'],
    ['a thread id that is not one', { query: EVENTS, variables: { t: 'not-an-id' } }, 'BAD_USER_INPUT'],
    ['an `after` that is not a position', { query: EVENTS, variables: { t: '00000000-0000-4000-8000-000000000000', after: 'yesterday' } }, 'BAD_USER_INPUT'],
    ['a document that does not validate', { query: 'subscription { nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['a document that does not parse', { query: 'subscription {' }, 'GRAPHQL_PARSE_FAILED'],
  ];
  for (const [what, request, code] of refusals) {
    it(`answers ${what} with 200 and ${code} in a next event, then complete`, async () => {
      const { status, events } = await stream(request, completed);
      expect(status).toBe(200);
      expect(events.map((event) => event.event)).toEqual(['next', 'complete']);
      expect(codesIn(events[0]!)).toEqual([code]);
    });
  }

  it('keeps the status of a refusal about the HTTP request itself: a mutation over GET is 405 with Allow', async () => {
    const response = await fetch(`${server.url}?query=${encodeURIComponent('mutation { logout }')}`, { headers: { accept: 'text/event-stream' } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toContain('POST');
    await response.arrayBuffer();
  });
});
