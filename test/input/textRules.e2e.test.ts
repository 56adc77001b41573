/**
 * The text rules through real HTTP on every store: each kind of bad text in
 * register, createThread and postMessage is BAD_USER_INPUT naming the field
 * and writes nothing (the log head does not move); decomposed text is
 * stored composed (NFC) in the log and the read models alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/databases.ts';
import { CREATE_THREAD, POST, REGISTER, signUp, startTestServer, type TestServer } from '../support/server.ts';

const kinds = await storeKinds();

const BAD_TEXT: Array<[string, string]> = [
  ['a NUL', 'hello\u0000world'],
  ['a lone high surrogate', 'hello \ud83d'],
  ['a lone low surrogate', '\ude00 hello'],
  ['an escape character', 'hello \u001b[31mred'],
  ['a C1 control', 'hello\u0085'],
  ['only zero-width and filler characters', '\u200b\u200d\u2060\ufeff\u3164\u2800'],
  ['only a combining mark', '\u0301'],
];
const BIDI: Array<[string, string]> = [
  ['a right-to-left override', 'invoice\u202egnp.exe'],
  ['a first-strong isolate', 'name\u2068x'],
];

describe.each(kinds)('text rules over HTTP on %s', (kind) => {
  let server: TestServer;
  let ana: { token: string; id: string };
  let threadId: string;
  const head = async () => (await server.logHead());

  /** Expects BAD_USER_INPUT naming `field`, and that the log did not move. */
  const refused = async (field: string, send: () => Promise<{ errors?: Array<{ extensions?: Record<string, unknown> }> }>) => {
    const before = await head();
    const result = await send();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await head()).toBe(before);
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    ana = await signUp(server, 'ana');
    threadId = (await server.ok(CREATE_THREAD, { title: 'Plain' }, ana.token)).createThread.thread.id;
  });
  afterAll(async () => {
    await server.dispose();
  });

  for (const [name, text] of [...BAD_TEXT, ...BIDI]) {
    it(`refuses a title with ${name}`, () => refused('title', () => server.gql(CREATE_THREAD, { title: text }, ana.token)));
    it(`refuses a display name with ${name}`, () => refused('displayName', () => server.gql(REGISTER, { u: 'newcomer', p: 'correct horse', d: text })));
  }
  for (const [name, text] of BAD_TEXT) {
    it(`refuses a body with ${name}`, () => refused('body', () => server.gql(POST, { t: threadId, b: text }, ana.token)));
  }
  for (const [name, text] of [...BAD_TEXT.slice(0, 3), ...BIDI]) {
    it(`refuses a username with ${name}`, () => refused('username', () => server.gql(REGISTER, { u: `ana${text}`, p: 'correct horse', d: 'Ana' })));
  }
  it('refuses a title or display name with a newline, and a body with a carriage return', async () => {
    await refused('title', () => server.gql(CREATE_THREAD, { title: 'two\nlines' }, ana.token));
    await refused('displayName', () => server.gql(REGISTER, { u: 'newcomer', p: 'correct horse', d: 'two\nlines' }));
    await refused('body', () => server.gql(POST, { t: threadId, b: 'windows\r\nline' }, ana.token));
  });

  it('keeps newlines and tabs in a body, and bidi isolates in a body', async () => {
    const body = 'line one\n\tline two \u2067שלום\u2069';
    expect((await server.ok(POST, { t: threadId, b: body }, ana.token)).postMessage.message.body).toBe(body);
  });

  it('stores a decomposed é composed (NFC) in the event data and in the read models', async () => {
    const before = await head();
    const zoe = (await server.ok(REGISTER, { u: 'zoe', p: 'correct horse', d: 'Zoe\u0308 Cafe\u0301' })).register as { token: string; user: { displayName: string } };
    expect(zoe.user.displayName).toBe('Zo\u00eb Caf\u00e9');
    const thread = (await server.ok(CREATE_THREAD, { title: 'Cafe\u0301 talk' }, zoe.token)).createThread.thread as { id: string; title: string };
    expect(thread.title).toBe('Caf\u00e9 talk');
    const posted = (await server.ok(POST, { t: thread.id, b: 'un cafe\u0301, s\u2019il vous pla\u0131\u0302t' }, zoe.token)).postMessage;
    expect(posted.message.body).toBe('un caf\u00e9, s\u2019il vous pla\u0131\u0302t'.normalize('NFC'));

    const events = (await server.ok('query ($after: Position) { events(after: $after, first: 10) { type data } }', { after: before })).events as Array<{
      type: string;
      data: Record<string, string>;
    }>;
    expect(events.map((e) => e.type)).toEqual(['UserRegistered', 'ThreadCreated', 'MessagePosted']);
    expect(events[0]!.data.displayName).toBe('Zo\u00eb Caf\u00e9');
    expect(events[1]!.data.title).toBe('Caf\u00e9 talk');
    expect(events[2]!.data.body).toBe(posted.message.body);
    for (const event of events) for (const value of Object.values(event.data)) if (typeof value === 'string') expect(value).toBe(value.normalize('NFC'));

    const read = await server.ok(
      'query ($id: ID!) { thread(id: $id) { title createdBy { displayName } messages(first: 5) { edges { node { body author { displayName } } } } } }',
      { id: thread.id },
    );
    expect(read.thread.title).toBe('Caf\u00e9 talk');
    expect(read.thread.createdBy.displayName).toBe('Zo\u00eb Caf\u00e9');
    expect(read.thread.messages.edges[0].node).toEqual({ body: posted.message.body, author: { displayName: 'Zo\u00eb Caf\u00e9' } });
  });
});
