/**
 * Relay cursors as the Cursor Connections spec computes them: the cursors
 * cut the list to what lies strictly between them (ApplyCursorsToEdges),
 * then `first`, then `last`; pageInfo from the same arithmetic. The same
 * answers from the read model and from a thread folded from the log
 * (`thread(asOf:)`), and `threads`, which pages forward only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZES } from '../../src/input/limitValues.ts';
import { storeKinds } from '../support/databases.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';

const kinds = await storeKinds();

const MESSAGES = `query ($id: ID!, $asOf: Position, $first: Int, $after: String, $last: Int, $before: String) {
  thread(id: $id, asOf: $asOf) {
    messages(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { body } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

interface Page {
  readonly bodies: string[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

describe.each(kinds)('cursors on %s', (kind) => {
  let server: TestServer;
  let token: string;
  let threadId: string;
  /** Cursors of m1…m10, by body. */
  const cursors = new Map<string, string>();
  const at = (n: number): string => {
    const found = cursors.get(`m${n}`);
    if (found === undefined) throw new Error(`no cursor for m${n}`);
    return found;
  };
  let latest: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    ({ token } = await signUp(server, 'pager'));
    threadId = (await server.ok(CREATE_THREAD, { title: 'Ten messages' }, token)).createThread.thread.id;
    for (let n = 1; n <= 10; n += 1) latest = (await server.ok(POST, { t: threadId, b: `m${n}` }, token)).postMessage.position;
    const all = await server.ok(MESSAGES, { id: threadId });
    for (const edge of all.thread.messages.edges) cursors.set(edge.node.body, edge.cursor);
  });
  afterAll(async () => {
    await server.dispose();
  });

  // Every case runs against the read model and against the thread folded from the log at its latest position.
  for (const source of ['the read model', 'a thread folded from the log'] as const) {
    const page = async (args: { first?: number; after?: string; last?: number; before?: string }): Promise<Page> => {
      const data = await server.ok(MESSAGES, { id: threadId, ...(source === 'the read model' ? {} : { asOf: latest }), ...args });
      const { edges, pageInfo } = data.thread.messages;
      expect(pageInfo.startCursor).toBe(edges[0]?.cursor ?? null);
      expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
      return { bodies: edges.map((e: { node: { body: string } }) => e.node.body), hasNextPage: pageInfo.hasNextPage, hasPreviousPage: pageInfo.hasPreviousPage };
    };
    const m = (...numbers: number[]) => numbers.map((n) => `m${n}`);

    describe(`from ${source}`, () => {
      it('after and before together return the messages strictly between them', async () => {
        // Without first or last, the default page size counts as `first`: nothing of the range is left after this page.
        expect(await page({ after: at(2), before: at(7) })).toEqual({ bodies: m(3, 4, 5, 6), hasNextPage: false, hasPreviousPage: true });
      });

      it('first and last apply to the range between the cursors', async () => {
        expect(await page({ after: at(2), before: at(7), first: 2 })).toEqual({ bodies: m(3, 4), hasNextPage: true, hasPreviousPage: true });
        expect(await page({ after: at(2), before: at(7), last: 2 })).toEqual({ bodies: m(5, 6), hasNextPage: true, hasPreviousPage: true });
        expect(await page({ after: at(2), before: at(7), first: 10 })).toEqual({ bodies: m(3, 4, 5, 6), hasNextPage: false, hasPreviousPage: true });
        expect(await page({ after: at(2), before: at(7), last: 10 })).toEqual({ bodies: m(3, 4, 5, 6), hasNextPage: true, hasPreviousPage: false });
      });

      it('first with last is the last `last` of the first `first`, with pageInfo as the spec computes it', async () => {
        expect(await page({ first: 5, last: 2 })).toEqual({ bodies: m(4, 5), hasNextPage: true, hasPreviousPage: true });
        expect(await page({ after: at(4), first: 3, last: 2 })).toEqual({ bodies: m(6, 7), hasNextPage: true, hasPreviousPage: true });
        // The spec's HasPreviousPage compares the whole range with `last`: 3 messages between m7 and the end are not more than 5.
        expect(await page({ after: at(7), first: 2, last: 5 })).toEqual({ bodies: m(8, 9), hasNextPage: true, hasPreviousPage: false });
        expect(await page({ first: 0, last: 3 })).toEqual({ bodies: [], hasNextPage: true, hasPreviousPage: true });
      });

      it('pages forward with first and after, and backward with last and before, to both ends', async () => {
        expect(await page({ first: 4 })).toEqual({ bodies: m(1, 2, 3, 4), hasNextPage: true, hasPreviousPage: false });
        expect(await page({ first: 4, after: at(4) })).toEqual({ bodies: m(5, 6, 7, 8), hasNextPage: true, hasPreviousPage: true });
        expect(await page({ first: 4, after: at(8) })).toEqual({ bodies: m(9, 10), hasNextPage: false, hasPreviousPage: true });
        expect(await page({ last: 4 })).toEqual({ bodies: m(7, 8, 9, 10), hasNextPage: false, hasPreviousPage: true });
        expect(await page({ last: 4, before: at(7) })).toEqual({ bodies: m(3, 4, 5, 6), hasNextPage: true, hasPreviousPage: true });
        expect(await page({ last: 4, before: at(3) })).toEqual({ bodies: m(1, 2), hasNextPage: true, hasPreviousPage: false });
      });

      it(`without first or last: the first ${PAGE_SIZES.messages.default}, or the last ${PAGE_SIZES.messages.default} before \`before\``, async () => {
        expect(await page({})).toEqual({ bodies: m(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), hasNextPage: false, hasPreviousPage: false });
        expect(await page({ before: at(4) })).toEqual({ bodies: m(1, 2, 3), hasNextPage: true, hasPreviousPage: false });
        expect(await page({ after: at(8) })).toEqual({ bodies: m(9, 10), hasNextPage: false, hasPreviousPage: true });
      });

      it('cursors that leave nothing between them give an empty page with null cursors', async () => {
        expect(await page({ after: at(7), before: at(3) })).toEqual({ bodies: [], hasNextPage: false, hasPreviousPage: true });
        expect(await page({ after: at(5), before: at(6), last: 3 })).toEqual({ bodies: [], hasNextPage: true, hasPreviousPage: false });
        expect(await page({ after: at(10) })).toEqual({ bodies: [], hasNextPage: false, hasPreviousPage: true });
      });
    });
  }

  it('refuses a foreign cursor and a page size out of bounds with BAD_USER_INPUT, naming the argument', async () => {
    for (const [args, field] of [
      [{ after: 'not-a-cursor' }, 'after'],
      [{ before: Buffer.from('x:1').toString('base64url') }, 'before'],
      [{ first: -1 }, 'first'],
      [{ last: PAGE_SIZES.messages.max + 1 }, 'last'],
    ] as const) {
      const reply = await server.gql(MESSAGES, { id: threadId, ...args });
      expect(reply.errors?.map((e) => [e.extensions?.code, e.extensions?.field]), JSON.stringify(args)).toEqual([['BAD_USER_INPUT', field]]);
    }
  });

  it('threads pages forward only: first and after, most recent activity first, pageInfo per the spec', async () => {
    const titles: string[] = [];
    for (const title of ['t1', 't2', 't3']) titles.push((await server.ok(CREATE_THREAD, { title }, token)).createThread.thread.title);
    const THREADS = `query ($first: Int, $after: String) {
      threads(first: $first, after: $after) { edges { node { title } } pageInfo { hasNextPage hasPreviousPage endCursor } }
    }`;
    const first = (await server.ok(THREADS, { first: 2 })).threads;
    expect(first.edges.map((e: { node: { title: string } }) => e.node.title)).toEqual(['t3', 't2']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = (await server.ok(THREADS, { first: 2, after: first.pageInfo.endCursor })).threads;
    expect(second.edges.map((e: { node: { title: string } }) => e.node.title)).toEqual(['t1', 'Ten messages']);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const backward = await server.gql('{ threads(last: 2) { edges { cursor } } }');
    expect(backward.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});
