/**
 * Rich text end to end through real sockets on every store: postMessage's
 * format (MARKDOWN unless asked), `:shortcode:`s turned into emoji when
 * posted and when edited (kept in code for MARKDOWN), what the log, the
 * read model and another user's WebSocket see, mentions not recognised in
 * code, and attachmentIds refused before anything is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/databases.ts';
import { collect, CREATE_THREAD, signUp, startTestServer, type GraphQLResponse, type TestServer } from '../support/server.ts';

const kinds = await storeKinds();

const POST = `mutation ($t: ID!, $b: String!, $f: MessageFormat, $a: [ID!], $key: String) {
  postMessage(input: { threadId: $t, body: $b, format: $f, attachmentIds: $a, idempotencyKey: $key }) { position message { id body format } }
}`;
const EDIT = `mutation ($m: ID!, $b: String!) { editMessage(input: { messageId: $m, body: $b }) { position message { id body format editedAt } } }`;
const MESSAGE = `query ($m: ID!) { node(id: $m) { ... on Message { body format mentions { username } revisions { body } } } }`;
const EVENTS = `subscription ($t: ID!, $after: Position) {
  threadEvents(threadId: $t, after: $after) {
    __typename
    ... on MessagePosted { position message { id body format } }
    ... on MessageEdited { position message { id body format } }
  }
}`;

interface Posted {
  position: string;
  message: { id: string; body: string; format: string };
}

const codeOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;

describe.each(kinds)('rich text on %s', (kind) => {
  let server: TestServer;
  let alice: { token: string; id: string };
  let bob: { token: string; id: string };
  let carol: { token: string; id: string };

  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signUp(server, 'alice');
    bob = await signUp(server, 'bob');
    carol = await signUp(server, 'carol');
  });
  afterAll(async () => {
    await server.dispose();
  });

  const newThread = async (title: string) => (await server.ok(CREATE_THREAD, { title }, alice.token)).createThread.thread as { id: string; position: string };
  const post = async (threadId: string, body: string, format?: 'MARKDOWN' | 'PLAIN') => (await server.ok(POST, { t: threadId, b: body, f: format }, alice.token)).postMessage as Posted;
  const loggedPost = async (threadId: string, messageId: string) => {
    const { events } = await server.ok('query ($s: ID!) { events(streamId: $s, types: ["MessagePosted"]) { schemaVersion data } }', { s: `thread-${threadId}` });
    return (events as Array<{ schemaVersion: number; data: Record<string, unknown> }>).find((event) => event.data.messageId === messageId);
  };

  it('posts MARKDOWN unless asked, PLAIN when asked, and the read model and the log say the same', async () => {
    const thread = await newThread('Formats');
    const markdown = await post(thread.id, '**bold** and _soft_');
    const plain = await post(thread.id, '**as typed**', 'PLAIN');
    const explicit = await post(thread.id, '`code`', 'MARKDOWN');
    expect([markdown, plain, explicit].map((p) => p.message.format)).toEqual(['MARKDOWN', 'PLAIN', 'MARKDOWN']);
    expect(markdown.message.body).toBe('**bold** and _soft_');
    expect(await server.ok(MESSAGE, { m: plain.message.id })).toMatchObject({ node: { body: '**as typed**', format: 'PLAIN' } });
    const listed = await server.ok('query ($id: ID!) { thread(id: $id) { messages { edges { node { format } } } } }', { id: thread.id });
    expect(listed.thread.messages.edges.map((e: { node: { format: string } }) => e.node.format)).toEqual(['MARKDOWN', 'PLAIN', 'MARKDOWN']);
    expect(await loggedPost(thread.id, markdown.message.id)).toEqual({
      schemaVersion: 4,
      data: { messageId: markdown.message.id, threadId: thread.id, body: '**bold** and _soft_', replyToId: null, format: 'markdown', attachments: [] },
    });
    // asOf folds the same events: the same format.
    const asOf = await server.ok('query ($id: ID!, $p: Position) { thread(id: $id, asOf: $p) { messages { edges { node { format } } } } }', { id: thread.id, p: plain.position });
    expect(asOf.thread.messages.edges).toEqual([{ node: { format: 'MARKDOWN' } }, { node: { format: 'PLAIN' } }]);
  });

  it('refuses a format that is not MARKDOWN or PLAIN: in the document GRAPHQL_VALIDATION_FAILED, in a variable BAD_USER_INPUT; nothing written', async () => {
    const thread = await newThread('Bad format');
    const before = await server.logHead();
    const literal = await server.gql(`mutation ($t: ID!) { postMessage(input: { threadId: $t, body: "hi", format: HTML }) { position } }`, { t: thread.id }, alice.token);
    const variable = await server.gql(POST, { t: thread.id, b: 'hi', f: 'markdown' }, alice.token);
    const string = await server.gql(`mutation ($t: ID!) { postMessage(input: { threadId: $t, body: "hi", format: "MARKDOWN" }) { position } }`, { t: thread.id }, alice.token);
    expect([literal, variable, string].map(codeOf)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);
    expect(await server.logHead()).toBe(before);
  });

  it('turns shortcodes into emoji when posting: unknown ones stay, code keeps them in MARKDOWN, PLAIN converts all', async () => {
    const thread = await newThread('Shortcodes');
    const text = 'Shipped :tada: :+1: at 12:30:45 :not_an_emoji: `:tada:`\n```\n:rocket:\n```';
    const markdown = await post(thread.id, text);
    const plain = await post(thread.id, text, 'PLAIN');
    expect(markdown.message.body).toBe('Shipped 🎉 👍 at 12:30:45 :not_an_emoji: `:tada:`\n```\n:rocket:\n```');
    expect(plain.message.body).toBe('Shipped 🎉 👍 at 12:30:45 :not_an_emoji: `🎉`\n```\n🚀\n```');
    // Stored converted: the read model and the log hold the emoji, not the shortcode.
    expect(await server.ok(MESSAGE, { m: markdown.message.id })).toMatchObject({ node: { body: markdown.message.body, format: 'MARKDOWN' } });
    expect((await loggedPost(thread.id, plain.message.id))?.data.body).toBe(plain.message.body);
  });

  it('counts the length after conversion: 4,000 shortcodes are 4,000 emoji, and one more is refused', async () => {
    const thread = await newThread('Long');
    expect((await post(thread.id, ':tada:'.repeat(4000))).message.body).toBe('🎉'.repeat(4000));
    const before = await server.logHead();
    expect(codeOf(await server.gql(POST, { t: thread.id, b: ':tada:'.repeat(4001) }, alice.token))).toBe('BAD_USER_INPUT');
    expect(await server.logHead()).toBe(before);
  });

  it('turns shortcodes into emoji when editing, by the format the message keeps; the old text stays a revision', async () => {
    const thread = await newThread('Edited shortcodes');
    const markdown = await post(thread.id, 'draft');
    const plain = await post(thread.id, 'draft', 'PLAIN');
    const editedMarkdown = (await server.ok(EDIT, { m: markdown.message.id, b: 'done :white_check_mark: `:x:`' }, alice.token)).editMessage;
    const editedPlain = (await server.ok(EDIT, { m: plain.message.id, b: 'done :white_check_mark: `:x:`' }, alice.token)).editMessage;
    expect(editedMarkdown.message).toMatchObject({ body: 'done ✅ `:x:`', format: 'MARKDOWN' });
    expect(editedPlain.message).toMatchObject({ body: 'done ✅ `❌`', format: 'PLAIN' });
    expect(await server.ok(MESSAGE, { m: markdown.message.id })).toMatchObject({ node: { body: 'done ✅ `:x:`', format: 'MARKDOWN', revisions: [{ body: 'draft' }] } });
    // The shortcode of what is there already is the same text: nothing appended.
    const before = await server.logHead();
    const same = (await server.ok(EDIT, { m: markdown.message.id, b: 'done ✅ `:x:`' }, alice.token)).editMessage;
    const again = (await server.ok(EDIT, { m: markdown.message.id, b: 'done :white_check_mark: `:x:`' }, alice.token)).editMessage;
    expect([same.position, again.position]).toEqual([editedMarkdown.position, editedMarkdown.position]);
    expect(await server.logHead()).toBe(before);
  });

  it('delivers the converted text and the format on another user\'s threadEvents subscription, posted and edited', async () => {
    const thread = await newThread('Live');
    const live = collect<{ threadEvents: { __typename: string; message: { body: string; format: string } } }>(
      server.wsClient(bob.token),
      EVENTS,
      { t: thread.id, after: thread.position },
      (items) => items.length >= 3,
    );
    const markdown = await post(thread.id, ':wave: `:wave:`');
    await post(thread.id, ':wave: `:wave:`', 'PLAIN');
    await server.ok(EDIT, { m: markdown.message.id, b: ':wave: :wave: `:wave:`' }, alice.token);
    expect((await live.done).map((item) => item.threadEvents)).toEqual([
      { __typename: 'MessagePosted', position: expect.any(String), message: { id: markdown.message.id, body: '👋 `:wave:`', format: 'MARKDOWN' } },
      { __typename: 'MessagePosted', position: expect.any(String), message: { id: expect.any(String), body: '👋 `👋`', format: 'PLAIN' } },
      { __typename: 'MessageEdited', position: expect.any(String), message: { id: markdown.message.id, body: '👋 👋 `:wave:`', format: 'MARKDOWN' } },
    ]);
  });

  it('does not recognise mentions inside code spans or fenced blocks, in MARKDOWN or PLAIN', async () => {
    const thread = await newThread('Mentions');
    for (const format of ['MARKDOWN', 'PLAIN'] as const) {
      const posted = await post(thread.id, 'hi @bob, run `@carol deploy`\n```\n@carol\n```', format);
      expect((await server.ok(MESSAGE, { m: posted.message.id })).node.mentions).toEqual([{ username: 'bob' }]);
    }
    const mine = await server.ok('{ mentions(first: 10) { edges { node { thread { id } } } } }', {}, bob.token);
    expect(mine.mentions.edges.filter((e: { node: { thread: { id: string } } }) => e.node.thread.id === thread.id)).toHaveLength(2);
    expect((await server.ok('{ mentions(first: 10) { edges { node { id } } } }', {}, carol.token)).mentions.edges).toEqual([]);
  });

  it('erases the post\'s attachments with its text when the message is deleted: the log reads both as \'\'', async () => {
    const thread = await newThread('Erased');
    const posted = await post(thread.id, 'short-lived :tada:');
    expect((await loggedPost(thread.id, posted.message.id))?.data).toMatchObject({ body: 'short-lived 🎉', attachments: [] });
    await server.ok('mutation ($m: ID!) { deleteMessage(input: { messageId: $m }) { position } }', { m: posted.message.id }, alice.token);
    expect((await loggedPost(thread.id, posted.message.id))?.data).toMatchObject({ body: '', attachments: '', format: 'markdown' });
  });

  it('binds an idempotency key to the format: a retry as posted answers the first post, another format under it is CONFLICT', async () => {
    const thread = await newThread('Keys');
    const first = (await server.ok(POST, { t: thread.id, b: ':tada:', key: 'rich-1' }, alice.token)).postMessage as Posted;
    const before = await server.logHead();
    const retried = (await server.ok(POST, { t: thread.id, b: ':tada:', key: 'rich-1' }, alice.token)).postMessage as Posted;
    expect(retried).toEqual(first);
    expect(codeOf(await server.gql(POST, { t: thread.id, b: ':tada:', f: 'PLAIN', key: 'rich-1' }, alice.token))).toBe('CONFLICT');
    expect(await server.logHead()).toBe(before);
  });

  it('refuses more than 10, repeated or malformed attachmentIds and a blank body without attachments (BAD_USER_INPUT), an id that is no upload (NOT_FOUND), writing nothing', async () => {
    const thread = await newThread('Attachments refused');
    const id = (n: number) => `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const before = await server.logHead();
    const refusals = [
      await server.gql(POST, { t: thread.id, b: 'eleven', a: Array.from({ length: 11 }, (_, n) => id(n)) }, alice.token),
      await server.gql(POST, { t: thread.id, b: 'twice', a: [id(1), id(1)] }, alice.token),
      await server.gql(POST, { t: thread.id, b: 'twice in other case', a: [id(1).toUpperCase(), id(1)] }, alice.token),
      await server.gql(POST, { t: thread.id, b: 'malformed', a: ['not-an-id'] }, alice.token),
      await server.gql(POST, { t: thread.id, b: '   ' }, alice.token),
      await server.gql(POST, { t: thread.id, b: '   ', a: [] }, alice.token),
    ];
    expect(refusals.map(codeOf)).toEqual(Array(6).fill('BAD_USER_INPUT'));
    expect(refusals.slice(0, 4).map((r) => r.errors?.[0]?.extensions?.field)).toEqual(Array(4).fill('attachmentIds'));
    // Well-formed, but nobody's upload: NOT_FOUND, also for an attachments-only post.
    const unknown = [await server.gql(POST, { t: thread.id, b: 'see this', a: [id(99)] }, alice.token), await server.gql(POST, { t: thread.id, b: ' ', a: [id(99)] }, alice.token)];
    expect(unknown.map(codeOf)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(await server.logHead()).toBe(before);
    const { thread: read } = await server.ok('query ($id: ID!) { thread(id: $id) { messageCount } }', { id: thread.id });
    expect(read.messageCount).toBe(0);
  });
});
