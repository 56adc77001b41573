/**
 * Query.search end to end through real sockets on every store: ranking,
 * ties, each operator, the thread and author arguments, stable paging while
 * others post and delete, edits and deletions reflected at once, a rebuild
 * that answers the same, typed refusals that write nothing, anonymous use,
 * the rate limit and the metric.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { rebuildProjections } from '../../src/projections/rebuild.ts';
import { MATCH_END, MATCH_START } from '../../src/search/snippetMarks.ts';
import { storeKinds } from '../support/databases.ts';
import { relaxedProtection } from '../support/protection.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';

const kinds = await storeKinds();

const SEARCH = `query ($q: String!, $t: ID, $from: ID, $first: Int, $after: String) {
  search(query: $q, threadId: $t, from: $from, first: $first, after: $after) {
    edges { cursor node { snippet score message { id body author { username } } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
const EDIT = `mutation ($m: ID!, $b: String!) { editMessage(input: { messageId: $m, body: $b }) { position } }`;
const DELETE = `mutation ($m: ID!) { deleteMessage(input: { messageId: $m }) { position } }`;

interface Result {
  snippet: string;
  score: number;
  message: { id: string; body: string; author: { username: string } };
}
interface Page {
  edges: { cursor: string; node: Result }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

describe.each(kinds)('search on %s', (kind) => {
  let server: TestServer;
  let alice: { token: string; id: string };
  let bob: { token: string; id: string };

  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signUp(server, 'alice');
    bob = await signUp(server, 'bob');
    // Words that are in none of the messages the tests search for, so no searched word is in every row (InnoDB's IDF would be 0).
    const filler = await newThread('Filler');
    for (let i = 0; i < 5; i++) await post(filler, `unrelated chatter number ${i}`);
  });
  afterAll(async () => {
    await server.dispose();
  });

  const newThread = async (title: string, token = alice.token) => ((await server.ok(CREATE_THREAD, { title }, token)).createThread.thread as { id: string }).id;
  const post = async (threadId: string, body: string, token = alice.token) => ((await server.ok(POST, { t: threadId, b: body }, token)).postMessage.message as { id: string }).id;
  const search = async (q: string, args: Record<string, unknown> = {}, token?: string) => (await server.ok(SEARCH, { q, ...args }, token)).search as Page;
  const bodies = async (q: string, args: Record<string, unknown> = {}) => (await search(q, args)).edges.map((e) => e.node.message.body);
  const codeOf = (response: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;

  it('ranks a message with more matches first, and the one repeating the rarer word above the one repeating the common word', async () => {
    const thread = await newThread('Ranking');
    await post(thread, 'a kestrel was seen');
    await post(thread, 'kestrel kestrel kestrel over the field');
    expect(await bodies('kestrel')).toEqual(['kestrel kestrel kestrel over the field', 'a kestrel was seen']);

    for (let i = 0; i < 6; i++) await post(thread, `zebra crossing number ${i}`);
    await post(thread, 'zebra quokka quokka sighting');
    await post(thread, 'zebra zebra quokka sighting');
    const found = await search('zebra quokka');
    expect(found.edges.map((e) => e.node.message.body)).toEqual(['zebra quokka quokka sighting', 'zebra zebra quokka sighting']);
    expect(found.edges[0]!.node.score).toBeGreaterThan(found.edges[1]!.node.score);
  });

  it('breaks ties by recency: of two equal messages the newer comes first', async () => {
    const thread = await newThread('Ties');
    const older = await post(thread, 'walrus meeting at noon');
    const newer = await post(thread, 'walrus meeting at noon');
    const found = await search('walrus');
    expect(found.edges.map((e) => e.node.message.id)).toEqual([newer, older]);
    expect(found.edges[0]!.node.score).toBe(found.edges[1]!.node.score);
  });

  it('marks matches in the snippet with U+0002 and U+0003, the same on every store', async () => {
    const thread = await newThread('Snippets');
    await post(thread, 'The Café on Main opens at nine; our cafe\nclub meets there');
    const [hit] = (await search('cafe')).edges;
    expect(hit!.node.snippet).toBe(`The ${MATCH_START}Café${MATCH_END} on Main opens at nine; our ${MATCH_START}cafe${MATCH_END} club meets there`);
  });

  it('matches phrases in order, prefixes, and leaves out excluded words', async () => {
    const thread = await newThread('Operators');
    await post(thread, 'the brown ferret jumps');
    await post(thread, 'a ferret, brown and quick');
    await post(thread, 'ferreting around the garden');
    expect(await bodies('"brown ferret"')).toEqual(['the brown ferret jumps']);
    expect(new Set(await bodies('ferret*'))).toEqual(new Set(['the brown ferret jumps', 'a ferret, brown and quick', 'ferreting around the garden']));
    expect(await bodies('ferret -quick')).toEqual(['the brown ferret jumps']);
    expect(await bodies('ferret -"brown ferret"')).toEqual(['a ferret, brown and quick']);
  });

  it('matches words InnoDB does not index (short ones, stopwords) as whole words, the same on every store', async () => {
    const thread = await newThread('Short words');
    await post(thread, 'lets go to the pelican pier');
    await post(thread, 'going to the pelican cafe');
    await post(thread, 'pelican ok');
    expect(await bodies('pelican go')).toEqual(['lets go to the pelican pier']);
    expect(new Set(await bodies('pelican the'))).toEqual(new Set(['lets go to the pelican pier', 'going to the pelican cafe']));
    expect(await bodies('"to the pelican pier"')).toEqual(['lets go to the pelican pier']);
    expect(await bodies('pelican -the')).toEqual(['pelican ok']);
    // Nothing an index holds: found by pattern alone, newest first.
    expect(await bodies('ok')).toEqual(['pelican ok']);
    expect(await bodies('go')).toEqual(['lets go to the pelican pier']);
  });

  it('narrows by from:username and in:title, and by the threadId and from arguments; an unknown user or title finds nothing', async () => {
    const notes = await newThread('Q3 Release notes');
    const chat = await newThread('Team chat');
    await post(notes, 'marmot by alice in notes');
    await post(notes, 'marmot by bob in notes', bob.token);
    await post(chat, 'marmot by bob in chat', bob.token);
    expect(new Set(await bodies('marmot from:bob'))).toEqual(new Set(['marmot by bob in notes', 'marmot by bob in chat']));
    expect(new Set(await bodies('marmot from:alice from:bob'))).toHaveProperty('size', 3);
    expect(new Set(await bodies('marmot in:release-notes'))).toEqual(new Set(['marmot by alice in notes', 'marmot by bob in notes']));
    expect(await bodies('marmot in:"RELEASE NOTES" from:bob')).toEqual(['marmot by bob in notes']);
    expect(await bodies('marmot in:release')).toHaveLength(2);
    // Whole words of the title: "releases" is not "release".
    expect(await bodies('marmot in:releases')).toEqual([]);
    expect(await bodies('marmot from:nobody_here')).toEqual([]);
    expect(await bodies('marmot in:"no such thread"')).toEqual([]);
    expect(await bodies('marmot', { t: chat })).toEqual(['marmot by bob in chat']);
    expect(await bodies('marmot', { from: alice.id })).toEqual(['marmot by alice in notes']);
    expect(await bodies('marmot from:alice', { t: chat })).toEqual([]);
  });

  it('pages without repeats or gaps while others post more relevant messages and delete earlier results', async () => {
    const thread = await newThread('Paging');
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push(await post(thread, `heron report ${i}${' heron'.repeat(i % 4)}`));
    const seen: string[] = [];
    let page = await search('heron', { first: 10 });
    seen.push(...page.edges.map((e) => e.node.message.id));
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // Meanwhile: more relevant messages posted, two results already shown deleted.
    for (let i = 0; i < 5; i++) await post(thread, 'heron heron heron heron heron');
    await server.ok(DELETE, { m: seen[0] }, alice.token);
    await server.ok(DELETE, { m: seen[3] }, alice.token);
    while (page.pageInfo.hasNextPage) {
      page = await search('heron', { first: 10, after: page.pageInfo.endCursor });
      expect(page.pageInfo.hasPreviousPage).toBe(true);
      seen.push(...page.edges.map((e) => e.node.message.id));
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('finds the new text after an edit and not the old, and nothing of a deleted message at once', async () => {
    const thread = await newThread('Edits');
    const id = await post(thread, 'platypus lunch at noon');
    expect(await bodies('platypus')).toEqual(['platypus lunch at noon']);
    await server.ok(EDIT, { m: id, b: 'wombat lunch at one' }, alice.token);
    expect(await bodies('platypus')).toEqual([]);
    expect(await bodies('wombat')).toEqual(['wombat lunch at one']);
    await server.ok(DELETE, { m: id }, alice.token);
    expect(await bodies('wombat')).toEqual([]);
    expect(await bodies('lunch')).toEqual([]);
  });

  it('answers the same after an online rebuild, which also takes in a message posted while it ran', async () => {
    const thread = await newThread('Rebuild');
    for (let i = 0; i < 6; i++) await post(thread, `osprey nest ${i}${i % 2 ? ' osprey' : ''}`);
    const edited = await post(thread, 'osprey typo');
    await server.ok(EDIT, { m: edited, b: 'osprey fixed' }, alice.token);
    await server.ok(DELETE, { m: await post(thread, 'osprey gone') }, alice.token);
    const queries = ['osprey', 'osprey nest', 'ospr*', 'osprey -nest', 'nest from:alice', 'typo', 'gone'];
    const before = await Promise.all(queries.map((q) => search(q, { first: 50 })));
    const strip = (p: Page) => p.edges.map((e) => ({ id: e.node.message.id, snippet: e.node.snippet }));
    const db = await openDatabase(server.database.url);
    let late = '';
    try {
      await rebuildProjections(db);
      const after = await Promise.all(queries.map((q) => search(q, { first: 50 })));
      expect(after.map(strip)).toEqual(before.map(strip));
      await rebuildProjections(db, { beforeSwap: async () => void (late = await post(thread, 'pelagic osprey arrives late')) });
    } finally {
      await db.close();
    }
    expect((await search('pelagic')).edges.map((e) => e.node.message.id)).toEqual([late]);
  });

  it('refuses bad queries, cursors and arguments as BAD_USER_INPUT and writes nothing', async () => {
    const head = await server.logHead();
    for (const [variables, pattern] of [
      [{ q: '' }, /must not be empty/],
      [{ q: 'x'.repeat(300) }, /at most 256/],
      [{ q: 'from:alice' }, /at least one word/],
      [{ q: 'word', after: 'not-a-cursor' }, /not a cursor/],
      [{ q: 'word', first: 51 }, /between 0 and 50/],
      [{ q: 'word', t: 'not-a-uuid' }, /threadId/],
      [{ q: 'word', from: 'not-a-uuid' }, /from/],
    ] as const) {
      const response = await server.gql(SEARCH, variables);
      expect(codeOf(response), JSON.stringify(variables)).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message).toMatch(pattern);
    }
    expect(await server.logHead()).toBe(head);
  });

  it('fuzz: random queries answer results or BAD_USER_INPUT, never another error', async () => {
    const alphabet = ['a', 'ab', 'heron', '"', '-', '*', ':', ' ', 'from:', 'in:', '(', ')', 'NOT', 'OR', 'AND', "'", '\\', '%', '_', '😀', 'é', '^', '+', '~', '@', '<', '>', 'NEAR', '{', '}', ';', 'the'];
    let seed = 2026;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 120; i++) {
      const q = Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const response = await server.gql(SEARCH, { q });
      if (response.errors) expect(codeOf(response), q).toBe('BAD_USER_INPUT');
      else expect(Array.isArray(response.data?.search.edges)).toBe(true);
    }
  });

  it('serves anonymous searches, and times them on /metrics', async () => {
    const thread = await newThread('Public');
    await post(thread, 'anyone may find this capybara');
    expect((await search('capybara')).edges).toHaveLength(1);
    const nodes = await server.ok('query { search(query: "capybara") { nodes { snippet message { body } } } }');
    expect(nodes.search.nodes).toEqual([{ snippet: `anyone may find this ${MATCH_START}capybara${MATCH_END}`, message: { body: 'anyone may find this capybara' } }]);
    const metrics = await (await fetch(server.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(new RegExp(`thrds_search_duration_seconds_count\\{[^}]*store="${kind === 'sqlite' ? 'sqlite' : 'mysql'}"[^}]*\\} [1-9]`));
  });
});

describe.each(kinds)('search rate limit on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    const protection = relaxedProtection();
    server = await startTestServer(kind, undefined, { protection: { ...protection, rates: { ...protection.rates, searchesPerClient: { points: 2, durationSeconds: 60 } } } });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('refuses a third search within the window as RATE_LIMITED, per user or per address when signed out', async () => {
    const alice = await signUp(server, 'alice');
    const q = 'query { search(query: "anything") { edges { cursor } } }';
    await server.ok(q);
    await server.ok(q);
    expect((await server.gql(q)).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // A signed-in user has a budget of their own.
    await server.ok(q, {}, alice.token);
  });
});
