/**
 * Global object identification: User, Thread and Message are Nodes, found
 * again by the ids they always had, one at a time or many at once, and the
 * lookups of one request batch into at most one query per table.
 */
import { randomUUID } from 'node:crypto';
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openThrds } from '../../src/openThrds.ts';
import { createContext } from '../../src/schema/context.ts';
import { schema } from '../../src/schema/index.ts';
import { createServices } from '../../src/services.ts';
import { MAX_LIST_ARGUMENT } from '../../src/protection/operationLimits.ts';
import { storeKinds } from '../support/databases.ts';
import { relaxedProtection } from '../support/protection.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';

const kinds = await storeKinds();

const NODE = `query ($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on User { username }
    ... on Thread { title createdBy { id } }
    ... on Message { body thread { id } replyTo { id } }
  }
}`;

const NODES = `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`;

describe.each(kinds)('Node on %s', (kind) => {
  let server: TestServer;
  let ana: { token: string; id: string };
  let threadId: string;
  let firstId: string;
  let replyId: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    ana = await signUp(server, 'ana_node');
    threadId = (await server.ok(CREATE_THREAD, { title: 'Identified' }, ana.token)).createThread.thread.id;
    firstId = (await server.ok(POST, { t: threadId, b: 'first' }, ana.token)).postMessage.message.id;
    replyId = (await server.ok(POST, { t: threadId, b: 'reply', r: firstId }, ana.token)).postMessage.message.id;
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('node(id:) finds a user, a thread and a message by the ids the API already hands out, typed by __typename', async () => {
    expect((await server.ok(NODE, { id: ana.id })).node).toEqual({ __typename: 'User', id: ana.id, username: 'ana_node' });
    expect((await server.ok(NODE, { id: threadId })).node).toEqual({ __typename: 'Thread', id: threadId, title: 'Identified', createdBy: { id: ana.id } });
    expect((await server.ok(NODE, { id: replyId })).node).toEqual({ __typename: 'Message', id: replyId, body: 'reply', thread: { id: threadId }, replyTo: { id: firstId } });
  });

  it('an id node(id:) returns works where ids did before: thread(id:), postMessage(replyToId:)', async () => {
    const found = (await server.ok(NODE, { id: threadId.toUpperCase() })).node;
    expect(found.id).toBe(threadId);
    expect((await server.ok('query ($id: ID!) { thread(id: $id) { id title } }', { id: found.id })).thread).toEqual({ id: threadId, title: 'Identified' });
    const message = (await server.ok(NODE, { id: firstId })).node;
    const posted = (await server.ok(POST, { t: message.thread.id, b: 'answer', r: message.id }, ana.token)).postMessage;
    expect(posted.message.replyTo).toEqual({ id: firstId });
  });

  it('node(id:) is null for a well-formed id that names nothing', async () => {
    const reply = await server.gql(NODE, { id: randomUUID() });
    expect(reply).toEqual({ data: { node: null } });
  });

  it('node(id:) refuses an id that is not a UUID with BAD_USER_INPUT', async () => {
    const reply = await server.gql(NODE, { id: 'thread-1' });
    expect(reply.data).toEqual({ node: null });
    expect(reply.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('nodes(ids:) answers in the order asked, null where an id names nothing', async () => {
    const unknown = randomUUID();
    const data = await server.ok(NODES, { ids: [replyId, unknown, threadId, ana.id, replyId] });
    expect(data.nodes).toEqual([
      { __typename: 'Message', id: replyId },
      null,
      { __typename: 'Thread', id: threadId },
      { __typename: 'User', id: ana.id },
      { __typename: 'Message', id: replyId },
    ]);
    expect((await server.ok(NODES, { ids: [] })).nodes).toEqual([]);
  });

  it(`nodes(ids:) refuses a malformed id, and more than ${MAX_LIST_ARGUMENT} ids, with BAD_USER_INPUT`, async () => {
    const malformed = await server.gql(NODES, { ids: [threadId, 'nope'] });
    expect(malformed.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.errors?.[0]?.message).toContain('ids[1]');
    const tooMany = await server.gql(NODES, { ids: Array.from({ length: MAX_LIST_ARGUMENT + 1 }, () => randomUUID()) });
    expect(tooMany.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany.data).toBeNull();
  });

  it('the id lookups of one request cost at most one query per table, however many ids and fields ask', async () => {
    const thrds = await openThrds({ databaseUrl: server.database.url });
    try {
      const reads: string[] = [];
      const query = thrds.db.query.bind(thrds.db);
      thrds.db.query = ((sql: string, params?: readonly unknown[]) => {
        reads.push(sql);
        return query(sql, params);
      }) as typeof thrds.db.query;
      const contextValue = createContext(createServices(thrds, relaxedProtection()), { token: null, correlationId: 'node-test', clientAddress: '127.0.0.1' });
      const result = await graphql({
        schema,
        contextValue,
        source: `query ($ids: [ID!]!, $one: ID!, $other: ID!) {
          nodes(ids: $ids) { __typename id }
          one: node(id: $one) { id }
          other: node(id: $other) { id }
        }`,
        variableValues: { ids: [ana.id, threadId, firstId, replyId, randomUUID()], one: threadId, other: randomUUID() },
      });
      expect(result.errors).toBeUndefined();
      expect((result.data?.nodes as Array<{ __typename: string } | null>).map((n) => n?.__typename ?? null)).toEqual(['User', 'Thread', 'Message', 'Message', null]);
      const byTable = (table: string) => reads.filter((sql) => new RegExp(`\\bFROM ${table}\\b`).test(sql)).length;
      expect({ users: byTable('users'), threads: byTable('threads'), messages: byTable('messages') }).toEqual({ users: 1, threads: 1, messages: 1 });
    } finally {
      await thrds.close();
    }
  });
});
