/**
 * The custom scalars say which specification they follow (`specifiedByURL`)
 * and keep to it: DateTime to the GraphQL DateTime spec (RFC 3339 with
 * milliseconds), Position to docs/scalars/position.md, JSON to RFC 8259.
 * And Message.format is the enum MessageFormat.
 */
import { readFileSync } from 'node:fs';
import { GraphQLScalarType, Kind } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { storeKinds } from '../support/databases.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';

const kinds = await storeKinds();

function scalar(name: string): GraphQLScalarType {
  const type = schema.getType(name);
  if (!(type instanceof GraphQLScalarType)) throw new Error(`${name} is not a scalar`);
  return type;
}

/** What a scalar's parseValue does with `value`: the number it stands for, or the code of its refusal. */
function parsed(name: string, value: unknown): unknown {
  try {
    return scalar(name).parseValue(value);
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code ?? error;
  }
}

describe('DateTime keeps to https://scalars.graphql.org/andimarek/date-time', () => {
  it('accepts the spec\'s valid examples, at the instant they name', () => {
    expect(parsed('DateTime', '2011-08-30T13:22:53.108Z')).toBe(Date.UTC(2011, 7, 30, 13, 22, 53, 108));
    expect(parsed('DateTime', '2011-08-30T13:22:53.108+00:00')).toBe(Date.UTC(2011, 7, 30, 13, 22, 53, 108));
    expect(parsed('DateTime', '2011-08-30t13:22:53.108z')).toBe(Date.UTC(2011, 7, 30, 13, 22, 53, 108));
    expect(parsed('DateTime', '2011-08-30T13:22:53.108-03:00')).toBe(Date.UTC(2011, 7, 30, 16, 22, 53, 108));
    expect(parsed('DateTime', '2011-08-30T13:22:53.108+03:30')).toBe(Date.UTC(2011, 7, 30, 9, 52, 53, 108));
    expect(parsed('DateTime', '2024-02-29T00:00:00.000Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parsed('DateTime', '0099-01-01T00:00:00.000Z')).toBe(new Date('0099-01-01T00:00:00.000Z').getTime());
  });

  it('refuses what the spec refuses, and what is no date at all, with BAD_USER_INPUT', () => {
    for (const value of [
      '2011-08-30T13:22:53.108-00:00', // the unknown-offset convention, dropped by the spec
      '2011-08-30T13:22:53Z', // no milliseconds
      '2011-08-30T13:22:53.10Z', // two fractional digits
      '2011-08-30T13:22:53.1080Z', // four
      '2011-08-30T13:22:53.108', // no offset
      '2011-08-30',
      '2011-02-29T13:22:53.108Z', // not a leap year
      '2011-08-30T24:00:00.000Z',
      '2011-08-30T13:22:60.000Z', // a leap second: no millisecond clock holds it
      'Tue, 30 Aug 2011 13:22:53 GMT', // Date.parse would take it
      1314710573108,
      null,
    ]) {
      expect(parsed('DateTime', value), String(value)).toBe('BAD_USER_INPUT');
    }
    expect(() => scalar('DateTime').parseLiteral({ kind: Kind.INT, value: '1314710573108' }, {})).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });
});

describe('Position keeps to docs/scalars/position.md', () => {
  const spec = readFileSync(new URL('../../docs/scalars/position.md', import.meta.url), 'utf8');
  const examples = (label: string): string[] => {
    const line = new RegExp(`${label}: (.*?)\\.(?: |$)`, 'ms').exec(spec)?.[1] ?? '';
    return [...line.matchAll(/`"([^`]*)"`/g)].map((match) => match[1] ?? '');
  };

  it('accepts every valid example of the spec and refuses every invalid one', () => {
    const valid = examples('valid');
    const invalid = examples('Invalid');
    expect(valid.length).toBeGreaterThan(2);
    expect(invalid.length).toBeGreaterThan(4);
    for (const text of valid) expect(parsed('Position', text), text).toBe(Number(text));
    for (const text of invalid) expect(parsed('Position', text), text).toBe('BAD_USER_INPUT');
  });

  it('names the URL the scalar gives as its own', () => {
    expect(spec).toContain(`@specifiedBy(url: "${scalar('Position').specifiedByURL}")`);
  });
});

describe.each(kinds)('scalars and MessageFormat over the API on %s', (kind) => {
  let server: TestServer;
  let token: string;
  let threadId: string;
  let position: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    ({ token } = await signUp(server, 'scalar_fan'));
    threadId = (await server.ok(CREATE_THREAD, { title: 'Typed' }, token)).createThread.thread.id;
    position = (await server.ok(POST, { t: threadId, b: 'plain words' }, token)).postMessage.position;
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('introspection gives each custom scalar its specifiedByURL', async () => {
    const data = await server.ok('{ __schema { types { name kind specifiedByURL } } }');
    const urls = Object.fromEntries(
      data.__schema.types.filter((t: { kind: string; name: string }) => t.kind === 'SCALAR' && !t.name.startsWith('__')).map((t: { name: string; specifiedByURL: string | null }) => [t.name, t.specifiedByURL]),
    );
    expect(urls).toEqual({
      Boolean: null,
      DateTime: 'https://scalars.graphql.org/andimarek/date-time',
      Float: null,
      ID: null,
      Int: null,
      JSON: 'https://www.rfc-editor.org/rfc/rfc8259',
      File: 'https://github.com/jaydenseric/graphql-multipart-request-spec',
      Position: '/scalars/position',
      String: null,
    });
  });

  it('serves the Position spec where its specifiedByURL points, and nothing else under /scalars/', async () => {
    const base = server.url.replace('/graphql', '');
    const spec = await fetch(`${base}/scalars/position`);
    expect(spec.status).toBe(200);
    expect(spec.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await spec.text()).toContain('Position');
    expect((await fetch(`${base}/scalars/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}/scalars/position`, { method: 'POST' })).status).toBe(405);
  });

  it('sends DateTime as RFC 3339 in UTC with exactly three fractional digits', async () => {
    const { thread } = await server.ok('query ($id: ID!) { thread(id: $id) { createdAt lastActivityAt } }', { id: threadId });
    for (const value of [thread.createdAt, thread.lastActivityAt]) {
      expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(parsed('DateTime', value)).toBe(Date.parse(value));
    }
  });

  it('takes a Position as a string or an integer, and refuses any other spelling with BAD_USER_INPUT', async () => {
    const AS_OF = 'query ($id: ID!, $p: Position) { thread(id: $id, asOf: $p) { messageCount position } }';
    expect((await server.ok(AS_OF, { id: threadId, p: position })).thread).toEqual({ messageCount: 1, position });
    expect((await server.ok(AS_OF, { id: threadId, p: Number(position) })).thread).toEqual({ messageCount: 1, position });
    expect((await server.ok(`query ($id: ID!) { thread(id: $id, asOf: ${position}) { position } }`, { id: threadId })).thread).toEqual({ position });
    for (const p of [`0${position}`, '-1', '1.5', '9007199254740992', true]) {
      const reply = await server.gql(AS_OF, { id: threadId, p });
      expect(reply.errors?.map((e) => e.extensions?.code), String(p)).toEqual(['BAD_USER_INPUT']);
    }
    const literal = await server.gql(`query ($id: ID!) { thread(id: $id, asOf: 4.5) { position } }`, { id: threadId });
    expect(literal.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(literal.data).toBeUndefined();
  });

  it('sends JSON values as they are', async () => {
    const { events } = await server.ok('query ($s: ID!) { events(streamId: $s, types: ["MessagePosted"]) { data } }', { s: `thread-${threadId}` });
    expect(events).toEqual([{ data: expect.objectContaining({ threadId, body: 'plain words', format: 'markdown' }) }]);
  });

  it('gives Message.format as an enum value (MARKDOWN for a new message), from the read model and from the log', async () => {
    const FORMAT = 'query ($id: ID!, $p: Position) { thread(id: $id, asOf: $p) { messages(last: 1) { edges { node { format } } } } }';
    expect((await server.ok(FORMAT, { id: threadId })).thread.messages.edges).toEqual([{ node: { format: 'MARKDOWN' } }]);
    expect((await server.ok(FORMAT, { id: threadId, p: position })).thread.messages.edges).toEqual([{ node: { format: 'MARKDOWN' } }]);
    const typed = await server.ok('{ __type(name: "MessageFormat") { kind enumValues { name description } } }');
    expect(typed.__type).toEqual({ kind: 'ENUM', enumValues: [{ name: 'MARKDOWN', description: expect.any(String) }, { name: 'PLAIN', description: expect.any(String) }] });
  });
});
