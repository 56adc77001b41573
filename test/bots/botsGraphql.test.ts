/**
 * Bots through the real server on every store (issue 15): bots added as the
 * CLI adds them (addBot on another handle of the same database), then
 * Query.bots, User.isBot and botProfile, Thread.bots, inviteBot and
 * removeBot with their refusals, the events in the log, a bot that posts,
 * and a bot's username that nobody can sign in or sign up with.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CharacterCard } from '../../src/bots/types.ts';
import type { CommandDeps } from '../../src/modules/commandDeps.ts';
import { addBot } from '../../src/modules/botAdded.ts';
import { removeBot } from '../../src/modules/botRemoved.ts';
import { postMessage } from '../../src/modules/messagePosted.ts';
import { openThrds, type Thrds } from '../../src/openThrds.ts';
import { projectionsNamed, rebuildProjections } from '../../src/projections/rebuild.ts';
import { ReadCache } from '../../src/projections/readCache.ts';
import { createRateLimits } from '../../src/protection/rateLimits.ts';
import { captureLogs } from '../support/captureLogs.ts';
import { storeKinds } from '../support/databases.ts';
import { relaxedProtection } from '../support/protection.ts';
import { collect, CREATE_THREAD, REGISTER, signUp, startTestServer, type TestServer } from '../support/server.ts';

const kinds = await storeKinds();

function cardOf(name: string, data: Partial<CharacterCard['data']> = {}): CharacterCard {
  return {
    spec: 'chara_card_v2',
    spec_version: '2.0',
    data: {
      name,
      description: `${name}, for tests.`,
      personality: '',
      scenario: '',
      first_mes: 'Hello, {{user}}.',
      mes_example: '',
      creator_notes: 'Notes for people.',
      system_prompt: '',
      post_history_instructions: '',
      alternate_greetings: [],
      tags: ['test', 'bot'],
      creator: 'Thrds tests',
      character_version: '1',
      extensions: {},
      ...data,
    },
  };
}

const INVITE = `mutation ($t: ID!, $b: ID!) { inviteBot(input: { threadId: $t, botId: $b }) { id position bots { username isBot } } }`;
const REMOVE = `mutation ($t: ID!, $b: ID!) { removeBot(input: { threadId: $t, botId: $b }) { id position bots { username } } }`;
const BOTS = `{ bots { id username displayName isBot botProfile { description tags creatorNotes greeting } } }`;
const THREAD_BOTS = `query ($t: ID!) { thread(id: $t) { bots { id username } } }`;
const BOT_EVENTS = `query ($after: Position) {
  events(after: $after, types: ["BotAdded", "BotCardChanged", "BotRemoved", "BotInvited", "BotUninvited"]) {
    type actor { username }
    ... on BotAdded { bot { username isBot } }
    ... on BotCardChanged { bot { username } displayName }
    ... on BotRemoved { bot { username } }
    ... on BotInvited { threadId bot { username } }
    ... on BotUninvited { threadId bot { username } }
  }
}`;

describe.each(kinds)('bots through GraphQL on %s', (kind) => {
  let server: TestServer;
  let thrds: Thrds;
  let deps: CommandDeps;
  let admin: { token: string; id: string };
  let ana: { token: string; id: string };
  let bob: { token: string; id: string };
  let ada: string;
  let zed: string;

  const codeOf = async (query: string, variables: Record<string, unknown>, token?: string) => (await server.gql(query, variables, token)).errors?.map((e) => e.extensions?.code);
  const newThread = async (token = ana.token) => (await server.ok(CREATE_THREAD, { title: 'A thread' }, token)).createThread.thread.id as string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    // As `thrds bot add` does: another handle on the same database, no actor.
    thrds = await openThrds({ databaseUrl: server.database.url });
    deps = { store: thrds.store, db: thrds.db, clock: Date.now, newId: randomUUID, readCache: new ReadCache(thrds.db), rateLimits: createRateLimits(relaxedProtection().rates) };
    admin = await signUp(server, 'root_admin');
    ana = await signUp(server, 'ana');
    bob = await signUp(server, 'bob');
    ada = (await addBot(deps, null, { card: cardOf('Ada Lovelace') })).bot.id;
    zed = (await addBot(deps, null, { card: cardOf('Zed'), username: 'zed' })).bot.id;
  }, 60_000);
  afterAll(async () => {
    await thrds?.close();
    await server?.dispose();
  });

  it('lists the active bots by username, as bot users with their card profile; people are no bots and have no profile', async () => {
    const { bots } = await server.ok(BOTS);
    expect(bots).toEqual([
      {
        id: ada,
        username: 'ada_lovelace',
        displayName: 'Ada Lovelace',
        isBot: true,
        botProfile: { description: 'Ada Lovelace, for tests.', tags: ['test', 'bot'], creatorNotes: 'Notes for people.', greeting: 'Hello, {{user}}.' },
      },
      expect.objectContaining({ id: zed, username: 'zed', isBot: true }),
    ]);
    expect((await server.ok('{ me { isBot botProfile { greeting } } }', {}, ana.token)).me).toEqual({ isBot: false, botProfile: null });
  });

  it('adding the same card again writes nothing; a new card updates the bot in place', async () => {
    const head = await server.logHead();
    expect((await addBot(deps, null, { card: cardOf('Ada Lovelace') })).outcome).toBe('unchanged');
    expect(await server.logHead()).toBe(head);
    const updated = await addBot(deps, null, { card: cardOf('Zed', { description: 'Zed, renewed.' }), username: 'zed' });
    expect(updated).toMatchObject({ outcome: 'updated', bot: { id: zed, card: { data: { description: 'Zed, renewed.' } } } });
    // A new name too: the lists show it at once (the server cached the bot's user row before).
    await addBot(deps, null, { card: cardOf('Zed Prime', { description: 'Zed, renewed.' }), username: 'zed' });
    expect((await server.ok(BOTS)).bots.find((b: { id: string }) => b.id === zed)).toMatchObject({ username: 'zed', displayName: 'Zed Prime' });
    await addBot(deps, null, { card: cardOf('Zed', { description: 'Zed, renewed.' }), username: 'zed' });
  });

  it("the thread's creator invites a bot: the thread lists it, a second invite writes nothing, removeBot takes it out", async () => {
    const threadId = await newThread();
    const invited = (await server.ok(INVITE, { t: threadId, b: ada }, ana.token)).inviteBot;
    expect(invited.bots).toEqual([{ username: 'ada_lovelace', isBot: true }]);
    const head = await server.logHead();
    expect((await server.ok(INVITE, { t: threadId, b: ada }, ana.token)).inviteBot.position).toBe(invited.position);
    expect(await server.logHead()).toBe(head);
    expect((await server.ok(THREAD_BOTS, { t: threadId })).thread.bots).toEqual([{ id: ada, username: 'ada_lovelace' }]);
    const removed = (await server.ok(REMOVE, { t: threadId, b: ada }, ana.token)).removeBot;
    expect(removed.bots).toEqual([]);
    expect(Number(removed.position)).toBeGreaterThan(Number(invited.position));
    const again = await server.logHead();
    await server.ok(REMOVE, { t: threadId, b: ada }, ana.token);
    expect(await server.logHead()).toBe(again);
  });

  it('two identical invites at once append one BotInvited, and the invitation is logged once with who, where and which bot', async () => {
    const threadId = await newThread();
    const head = Number(await server.logHead());
    const logs = captureLogs('info');
    try {
      const [one, two] = await Promise.all([server.ok(INVITE, { t: threadId, b: ada }, ana.token), server.ok(INVITE, { t: threadId, b: ada }, ana.token)]);
      expect(one.inviteBot.position).toBe(two.inviteBot.position);
      expect(Number(await server.logHead())).toBe(head + 1);
      expect(logs.lines.filter((line) => line.msg === 'bot invited to a thread')).toEqual([
        expect.objectContaining({ level: 'info', userId: ana.id, threadId, botId: ada, event: 'BotInvited', position: head + 1 }),
      ]);
    } finally {
      logs.stop();
    }
  });

  it('two adds of one new card at once make one bot: one is added, the other finds it unchanged', async () => {
    const [one, two] = await Promise.all([addBot(deps, null, { card: cardOf('Twin') }), addBot(deps, null, { card: cardOf('Twin') })]);
    expect([one.outcome, two.outcome].sort()).toEqual(['added', 'unchanged']);
    expect(one.bot.id).toBe(two.bot.id);
    await removeBot(deps, null, { username: 'twin' });
  });

  it("threadEvents delivers BotInvited and BotUninvited with the bot, in order, to the thread's subscribers", async () => {
    const created = (await server.ok(CREATE_THREAD, { title: 'Watched' }, ana.token)).createThread.thread as { id: string; position: string };
    const watch = collect<{ threadEvents: { type: string; threadId: string; bot: { username: string; isBot: boolean } } }>(
      server.wsClient(ana.token),
      `subscription ($t: ID!, $after: Position) { threadEvents(threadId: $t, after: $after) {
        ... on BotInvited { type threadId bot { username isBot } }
        ... on BotUninvited { type threadId bot { username isBot } }
      } }`,
      { t: created.id, after: created.position },
      (items) => items.length >= 2,
    );
    await server.ok(INVITE, { t: created.id, b: ada }, ana.token);
    await server.ok(REMOVE, { t: created.id, b: ada }, ana.token);
    expect((await watch.done).map((item) => item.threadEvents)).toEqual([
      { type: 'BotInvited', threadId: created.id, bot: { username: 'ada_lovelace', isBot: true } },
      { type: 'BotUninvited', threadId: created.id, bot: { username: 'ada_lovelace', isBot: true } },
    ]);
  });

  it('refuses: another member FORBIDDEN (a moderator or admin may), no token UNAUTHENTICATED, unknown or person ids NOT_FOUND, malformed ids BAD_USER_INPUT', async () => {
    const threadId = await newThread();
    expect(await codeOf(INVITE, { t: threadId, b: ada }, bob.token)).toEqual(['FORBIDDEN']);
    expect(await codeOf(REMOVE, { t: threadId, b: ada }, bob.token)).toEqual(['FORBIDDEN']);
    expect(await codeOf(INVITE, { t: threadId, b: ada })).toEqual(['UNAUTHENTICATED']);
    expect(await codeOf(INVITE, { t: threadId, b: randomUUID() }, ana.token)).toEqual(['NOT_FOUND']);
    expect(await codeOf(INVITE, { t: threadId, b: bob.id }, ana.token)).toEqual(['NOT_FOUND']);
    expect(await codeOf(INVITE, { t: randomUUID(), b: ada }, ana.token)).toEqual(['NOT_FOUND']);
    expect(await codeOf(INVITE, { t: threadId, b: 'ada_lovelace' }, ana.token)).toEqual(['BAD_USER_INPUT']);
    expect(await codeOf(REMOVE, { t: 'nope', b: ada }, ana.token)).toEqual(['BAD_USER_INPUT']);
    expect((await server.ok(INVITE, { t: threadId, b: zed }, admin.token)).inviteBot.bots).toEqual([{ username: 'zed', isBot: true }]);
  });

  it('in a locked thread nobody invites or removes bots (FORBIDDEN)', async () => {
    const threadId = await newThread();
    await server.ok('mutation ($t: ID!) { lockThread(input: { threadId: $t, locked: true }) { locked } }', { t: threadId }, admin.token);
    expect(await codeOf(INVITE, { t: threadId, b: ada }, ana.token)).toEqual(['FORBIDDEN']);
    expect(await codeOf(INVITE, { t: threadId, b: ada }, admin.token)).toEqual(['FORBIDDEN']);
  });

  it('a bot posts as itself: its message has a bot author', async () => {
    const threadId = await newThread();
    const { message } = await postMessage(deps, { userId: ada, correlationId: 'reply:test' }, { threadId, body: 'Good day.', idempotencyKey: 'reply:1' });
    const read = await server.ok('query ($t: ID!) { thread(id: $t) { messages { edges { node { body author { username isBot } } } } } }', { t: threadId });
    expect(read.thread.messages.edges).toEqual([{ node: { body: 'Good day.', author: { username: 'ada_lovelace', isBot: true } } }]);
    expect(message.authorId).toBe(ada);
  });

  it("nobody signs in as a bot (as a wrong password), nor signs up with a bot's username (CONFLICT)", async () => {
    const login = await server.gql('mutation { login(input: { username: "ada_lovelace", password: "correct horse" }) { token } }');
    expect(login.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['UNAUTHENTICATED', 'Wrong username or password']]);
    expect(await codeOf(REGISTER, { u: 'zed', p: 'correct horse', d: 'Not Zed' })).toEqual(['CONFLICT']);
  });

  it("a person's username is refused to a bot (CONFLICT)", async () => {
    await expect(addBot(deps, null, { card: cardOf('Bob') })).rejects.toMatchObject({ code: 'CONFLICT', message: 'The username bob is taken' });
  });

  it('a removed bot leaves the lists and cannot be invited; adding it again brings it back with the same id', async () => {
    const threadId = await newThread();
    await server.ok(INVITE, { t: threadId, b: zed }, ana.token);
    expect((await removeBot(deps, null, { username: 'zed' })).removedAt).not.toBeNull();
    expect((await server.ok(BOTS)).bots.map((b: { username: string }) => b.username)).toEqual(['ada_lovelace']);
    expect((await server.ok(THREAD_BOTS, { t: threadId })).thread.bots).toEqual([]);
    expect(await codeOf(INVITE, { t: await newThread(), b: zed }, ana.token)).toEqual(['NOT_FOUND']);
    await expect(removeBot(deps, null, { username: 'nobody' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const back = await addBot(deps, null, { card: cardOf('Zed', { description: 'Zed, renewed.' }), username: 'zed' });
    expect(back).toMatchObject({ outcome: 'updated', bot: { id: zed, removedAt: null } });
    expect((await server.ok(THREAD_BOTS, { t: threadId })).thread.bots).toEqual([{ id: zed, username: 'zed' }]);
  });

  it('the log holds every bot event, with its GraphQL type; the bot events without a person behind them have no actor', async () => {
    const events = (await server.ok(BOT_EVENTS, { after: 0 })).events as Array<{ type: string; actor: { username: string } | null }>;
    expect(events[0]).toEqual({ type: 'BotAdded', actor: null, bot: { username: 'ada_lovelace', isBot: true } });
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['BotAdded', 'BotCardChanged', 'BotRemoved', 'BotInvited', 'BotUninvited']));
    expect(events.find((e) => e.type === 'BotInvited')).toMatchObject({ actor: { username: 'ana' }, bot: { username: 'ada_lovelace' } });
    expect(events.filter((e) => e.type !== 'BotInvited' && e.type !== 'BotUninvited').every((e) => e.actor === null)).toBe(true);
  });

  it('a rebuild of users, bots and thread_bots from the log gives the same rows', async () => {
    const rows = async () => ({
      users: await thrds.db.query('SELECT id, username, display_name, is_bot FROM users ORDER BY id'),
      bots: await thrds.db.query('SELECT id, username, display_name, card, added_at, position, removed_at FROM bots ORDER BY id'),
      threadBots: await thrds.db.query('SELECT thread_id, bot_id, invited_at, position FROM thread_bots ORDER BY thread_id, bot_id'),
    });
    const before = await rows();
    await rebuildProjections(thrds.db, { projections: projectionsNamed(['users', 'bots', 'thread_bots']) });
    expect(await rows()).toEqual(before);
  });
});
