/**
 * Mentions end to end on every store: derived from the text by the
 * projection (only users registered before the text, not in code), updated
 * by an edit, removed by a deletion, listed newest first in Query.mentions,
 * and reproduced row for row by `rebuild`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/openDatabase.ts';
import type { Database } from '../../src/db/database.ts';
import { rebuildProjections } from '../../src/projections/rebuild.ts';
import { storeKinds } from '../support/databases.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';
import { DELETE, EDIT, MENTIONS_OF, MY_MENTIONS } from './support/unreadApi.ts';

type Edge = { node: { id: string; body: string; mentions: Array<{ username: string }> } };

describe.each(await storeKinds())('mentions on %s', (kind) => {
  let server: TestServer;
  let db: Database;
  let ana: { token: string; id: string };
  let bob: { token: string; id: string };
  let cat: { token: string; id: string };
  let threadId: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    ana = await signUp(server, 'ana');
    bob = await signUp(server, 'bob');
    cat = await signUp(server, 'cat');
    db = await openDatabase(server.database.url);
    threadId = ((await server.ok(CREATE_THREAD, { title: 'Mentions' }, ana.token)).createThread as { thread: { id: string } }).thread.id;
  });
  afterAll(async () => {
    await db?.close();
    await server?.dispose();
  });

  const post = async (body: string, token = ana.token) => ((await server.ok(POST, { t: threadId, b: body }, token)).postMessage as { message: { id: string } }).message.id;
  const mentionsOf = async (messageId: string) => {
    const edges = (await server.ok(MENTIONS_OF, { t: threadId })).thread.messages.edges as Edge[];
    return edges.find((e) => e.node.id === messageId)!.node.mentions.map((u) => u.username);
  };
  const myMentions = async (token: string, first?: number, after?: string) => (await server.ok(MY_MENTIONS, { first, after }, token)).mentions;
  const table = () => db.query('SELECT message_id, user_id, thread_id, position FROM message_mentions ORDER BY message_id, user_id');

  it('derives mentions of existing users only, in any case, not inside code or an address, and lists them newest first for each user', async () => {
    const first = await post('@BOB and @nobody, see `@cat` or mail bob@example.com');
    const second = await post('```\n@cat\n```\n@bob @Cat thanks');
    expect(await mentionsOf(first)).toEqual(['bob']);
    expect(await mentionsOf(second)).toEqual(['bob', 'cat']);

    const bobs = await myMentions(bob.token);
    expect(bobs.edges.map((e: Edge) => e.node.id)).toEqual([second, first]);
    const paged = await myMentions(bob.token, 1);
    expect(paged.pageInfo.hasNextPage).toBe(true);
    expect((await myMentions(bob.token, 1, paged.pageInfo.endCursor)).edges.map((e: Edge) => e.node.id)).toEqual([first]);
    expect((await myMentions(ana.token)).edges).toEqual([]);
  });

  it('derives again on an edit and forgets a deleted message', async () => {
    const id = await post('hi @bob');
    await server.ok(EDIT, { m: id, b: 'hi @cat instead' }, ana.token);
    expect(await mentionsOf(id)).toEqual(['cat']);
    expect((await myMentions(bob.token)).edges.map((e: Edge) => e.node.id)).not.toContain(id);
    expect((await myMentions(cat.token)).edges[0].node.id).toBe(id);

    await server.ok(DELETE, { m: id }, ana.token);
    expect(await mentionsOf(id)).toEqual([]);
    expect((await myMentions(cat.token)).edges.map((e: Edge) => e.node.id)).not.toContain(id);
    expect(await db.query('SELECT * FROM message_mentions WHERE message_id = ?', [id])).toEqual([]);
  });

  it('mentions nobody who registered after the text was written, also after a rebuild, which reproduces the table row for row', async () => {
    const early = await post('waiting for @dan');
    const dan = await signUp(server, 'dan');
    expect(await mentionsOf(early)).toEqual([]);
    const later = await post('welcome @dan');
    expect(await mentionsOf(later)).toEqual(['dan']);
    // An edit written after dan registered may mention him.
    await server.ok(EDIT, { m: early, b: 'waiting for @dan, who is here now' }, ana.token);
    expect(await mentionsOf(early)).toEqual(['dan']);
    expect((await myMentions(dan.token)).edges.map((e: Edge) => e.node.id)).toEqual([later, early]);

    const before = await table();
    expect(before.length).toBeGreaterThanOrEqual(5);
    await rebuildProjections(db);
    expect(await table()).toEqual(before);
  });

  it('refuses Query.mentions without a token (UNAUTHENTICATED) and a cursor from elsewhere (BAD_USER_INPUT)', async () => {
    const anonymous = await server.gql(MY_MENTIONS, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const bad = await server.gql(MY_MENTIONS, { after: 'nope' }, bob.token);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
