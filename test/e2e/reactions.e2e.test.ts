/**
 * Reactions end to end, over real sockets on every store: addReaction and
 * removeReaction through HTTP, Message.reactions as each viewer sees it, and
 * ReactionAdded / ReactionRemoved delivered live on threadEvents to another
 * person's WebSocket. Every refusal writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/databases.ts';
import { collect, CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';

const ADD = `mutation ($m: ID!, $e: String!) {
  addReaction(input: { messageId: $m, emoji: $e }) { position message { id reactions { emoji count reactedByMe users { username } } } }
}`;
const REMOVE = `mutation ($m: ID!, $e: String!) {
  removeReaction(input: { messageId: $m, emoji: $e }) { position message { id reactions { emoji count reactedByMe } } }
}`;
const REACTIONS = `query ($t: ID!, $first: Int) { thread(id: $t) { messages(last: 10) { edges { node { id reactions { emoji count reactedByMe users(first: $first) { username } } } } } } }`;
const LIVE = `subscription ($t: ID!, $after: Position) {
  threadEvents(threadId: $t, after: $after) {
    ... on ReactionAdded { type position emoji user { username } message { id reactions { emoji count users { username } } } }
    ... on ReactionRemoved { type position emoji user { username } message { id reactions { emoji count users { username } } } }
  }
}`;

type Group = { emoji: string; count: number; reactedByMe?: boolean; users?: Array<{ username: string }> };
type Live = { threadEvents: { type?: string; position?: string; emoji?: string; user?: { username: string }; message?: { id: string; reactions: Group[] } } };

describe.each(await storeKinds())('reactions on %s', (kind) => {
  let server: TestServer;
  let ana: { token: string; id: string };
  let bob: { token: string; id: string };

  beforeAll(async () => {
    server = await startTestServer(kind);
    ana = await signUp(server, 'ana');
    bob = await signUp(server, 'bob');
  });
  afterAll(async () => {
    await server.dispose();
  });

  const head = async () => (await server.logHead());
  const newMessage = async () => {
    const { thread } = (await server.ok(CREATE_THREAD, { title: 'React here' }, ana.token)).createThread as { thread: { id: string; position: string } };
    const { message, position } = (await server.ok(POST, { t: thread.id, b: 'Lunch at noon?' }, ana.token)).postMessage as { message: { id: string }; position: string };
    return { threadId: thread.id, messageId: message.id, position };
  };
  const groupsFor = async (threadId: string, messageId: string, token?: string, first?: number) => {
    const data = await server.ok(REACTIONS, { t: threadId, first }, token);
    return (data.thread.messages.edges as Array<{ node: { id: string; reactions: Group[] } }>).find((e) => e.node.id === messageId)!.node.reactions;
  };

  it('adds and removes reactions, once each, grouped by emoji in order of first use, and delivers each change live to another socket', async () => {
    const { threadId, messageId, position } = await newMessage();
    const live = collect<Live>(server.wsClient(bob.token), LIVE, { t: threadId, after: position }, (items) => items.length >= 4);

    const first = (await server.ok(ADD, { m: messageId, e: '🎉' }, bob.token)).addReaction;
    expect(first.position).toEqual(expect.any(String));
    expect(first.message.reactions).toEqual([{ emoji: '🎉', count: 1, reactedByMe: true, users: [{ username: 'bob' }] }]);

    const again = (await server.ok(ADD, { m: messageId, e: ':tada:' }, bob.token)).addReaction;
    expect(again.position).toBeNull();
    expect(again.message.reactions).toEqual(first.message.reactions);

    const thumbs = (await server.ok(ADD, { m: messageId, e: ':+1:' }, ana.token)).addReaction;
    const joined = (await server.ok(ADD, { m: messageId, e: '🎉' }, ana.token)).addReaction;
    expect(joined.message.reactions).toEqual([
      { emoji: '🎉', count: 2, reactedByMe: true, users: [{ username: 'bob' }, { username: 'ana' }] },
      { emoji: '👍', count: 1, reactedByMe: true, users: [{ username: 'ana' }] },
    ]);

    expect(await groupsFor(threadId, messageId, bob.token)).toEqual([
      { emoji: '🎉', count: 2, reactedByMe: true, users: [{ username: 'bob' }, { username: 'ana' }] },
      { emoji: '👍', count: 1, reactedByMe: false, users: [{ username: 'ana' }] },
    ]);
    expect((await groupsFor(threadId, messageId, undefined, 1)).map((g) => [g.reactedByMe, g.users])).toEqual([
      [false, [{ username: 'bob' }]],
      [false, [{ username: 'ana' }]],
    ]);

    const removed = (await server.ok(REMOVE, { m: messageId, e: '👍' }, ana.token)).removeReaction;
    expect(removed.message.reactions).toEqual([{ emoji: '🎉', count: 2, reactedByMe: true }]);
    const removedAgain = (await server.ok(REMOVE, { m: messageId, e: '👍' }, ana.token)).removeReaction;
    expect(removedAgain.position).toBeNull();
    expect((await server.ok(REMOVE, { m: messageId, e: '🚀' }, bob.token)).removeReaction.position).toBeNull();

    const delivered = (await live.done).map((item) => item.threadEvents);
    expect(delivered.map((e) => [e.type, e.position, e.emoji, e.user?.username])).toEqual([
      ['ReactionAdded', first.position, '🎉', 'bob'],
      ['ReactionAdded', thumbs.position, '👍', 'ana'],
      ['ReactionAdded', joined.position, '🎉', 'ana'],
      ['ReactionRemoved', removed.position, '👍', 'ana'],
    ]);
    // The message's groups as they are when the event is delivered: this one's change included.
    expect(delivered[3]!.message).toEqual({ id: messageId, reactions: [{ emoji: '🎉', count: 2, users: [{ username: 'bob' }, { username: 'ana' }] }] });
    const logged = await server.ok('query ($s: ID!) { events(streamId: $s, types: ["ReactionAdded", "ReactionRemoved"]) { type } }', { s: `thread-${threadId}` });
    expect(logged.events).toHaveLength(4);
  });

  it('refuses what is not an emoji, unknown messages, anonymous callers and oversized pages, with their codes, and writes nothing', async () => {
    const { messageId } = await newMessage();
    const before = await head();
    const refusals = [
      await server.gql(ADD, { m: messageId, e: 'lol' }, ana.token),
      await server.gql(ADD, { m: messageId, e: '👍👍' }, ana.token),
      await server.gql(ADD, { m: messageId, e: ':not_a_shortcode_at_all:' }, ana.token),
      await server.gql(ADD, { m: messageId, e: '☺' }, ana.token),
      await server.gql(REMOVE, { m: messageId, e: 'x' }, ana.token),
      await server.gql(ADD, { m: '00000000-0000-4000-8000-000000000000', e: '🎉' }, ana.token),
      await server.gql(REMOVE, { m: '00000000-0000-4000-8000-000000000000', e: '🎉' }, ana.token),
      await server.gql(ADD, { m: 'not-an-id', e: '🎉' }, ana.token),
      await server.gql(ADD, { m: messageId, e: '🎉' }),
    ];
    expect(refusals.map((r) => r.errors?.[0]?.extensions?.code)).toEqual([
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'UNAUTHENTICATED',
    ]);
    expect(refusals[3]!.errors?.[0]?.message).toContain('☺️');
    expect(await head()).toBe(before);
    const USERS = 'query ($m: ID!, $first: Int) { node(id: $m) { ... on Message { reactions { users(first: $first) { username } } } } }';
    await server.ok(ADD, { m: messageId, e: '🎉' }, ana.token);
    expect((await server.gql(USERS, { m: messageId, first: 101 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await server.gql(USERS, { m: messageId, first: -1 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await server.ok(USERS, { m: messageId, first: 0 })).node.reactions).toEqual([{ users: [] }]);
  });

  it('takes at most 20 different emoji on a message: the 21st is BAD_USER_INPUT, one already there is still welcome', async () => {
    const { threadId, messageId } = await newMessage();
    const twenty = ['😀', '😂', '😍', '🤔', '😢', '😮', '👍', '👎', '👏', '🙏', '🔥', '🎉', '❤️', '💯', '🚀', '👀', '✅', '❌', '🍕', '☕'];
    for (const emoji of twenty) await server.ok(ADD, { m: messageId, e: emoji }, ana.token);
    const before = await head();
    const refused = await server.gql(ADD, { m: messageId, e: '🌮' }, bob.token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'tooManyEmoji', max: 20 });
    expect(await head()).toBe(before);
    const joined = (await server.ok(ADD, { m: messageId, e: '🍕' }, bob.token)).addReaction;
    expect(joined.position).not.toBeNull();
    const groups = await groupsFor(threadId, messageId, bob.token);
    expect(groups.map((g) => g.emoji)).toEqual(twenty);
    expect(groups.find((g) => g.emoji === '🍕')).toMatchObject({ count: 2, reactedByMe: true });
  });

  it('keeps one reaction when the same one is added many times at once', async () => {
    const { threadId, messageId } = await newMessage();
    await Promise.all(Array.from({ length: 8 }, () => server.ok(ADD, { m: messageId, e: '🔥' }, bob.token)));
    expect(await groupsFor(threadId, messageId, bob.token)).toEqual([{ emoji: '🔥', count: 1, reactedByMe: true, users: [{ username: 'bob' }] }]);
  });

  it('refuses reactions in a locked thread with FORBIDDEN, both ways, and takes them again once unlocked', async () => {
    const { threadId, messageId } = await newMessage();
    await server.ok(ADD, { m: messageId, e: '🎉' }, bob.token);
    const LOCK = 'mutation ($t: ID!, $locked: Boolean!) { lockThread(input: { threadId: $t, locked: $locked }) { locked } }';
    // ana signed up first on this store: she is its admin.
    await server.ok(LOCK, { t: threadId, locked: true }, ana.token);
    const before = await head();
    const refusals = [await server.gql(ADD, { m: messageId, e: '👍' }, bob.token), await server.gql(REMOVE, { m: messageId, e: '🎉' }, bob.token)];
    expect(refusals.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(await head()).toBe(before);
    await server.ok(LOCK, { t: threadId, locked: false }, ana.token);
    expect((await server.ok(REMOVE, { m: messageId, e: '🎉' }, bob.token)).removeReaction.position).not.toBeNull();
  });

  it('answers NOT_FOUND for reactions to a deleted message, whose reactions are gone', async () => {
    const { threadId, messageId } = await newMessage();
    await server.ok(ADD, { m: messageId, e: '🎉' }, bob.token);
    await server.ok('mutation ($m: ID!) { deleteMessage(input: { messageId: $m }) { position } }', { m: messageId }, ana.token);
    const before = await head();
    const refusals = [await server.gql(ADD, { m: messageId, e: '👍' }, bob.token), await server.gql(REMOVE, { m: messageId, e: '🎉' }, bob.token)];
    expect(refusals.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(await head()).toBe(before);
    expect(await groupsFor(threadId, messageId, bob.token)).toEqual([]);
  });
});
