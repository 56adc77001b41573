/**
 * yoga on the shared operation cache (src/graphql/yogaOperations.ts),
 * in-process through `yoga.fetch`: it runs the very document the cache
 * holds (parsed once for every door), and what yoga writes into the errors
 * it is handed (`extensions.http`) does not reach the cached errors the fast
 * path and the gateway send as they are.
 */
import type { DocumentNode } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { isRefused, OperationCache } from '../../src/graphql/operationCache.ts';
import { useOperationCache } from '../../src/graphql/yogaOperations.ts';
import { schema } from '../../src/schema/index.ts';

function yogaOn(operations: OperationCache, executed: DocumentNode[] = []) {
  const capture: Plugin = { onExecute: ({ args }) => void executed.push(args.document) };
  return createYoga({ schema, plugins: [useOperationCache(operations), capture], parserAndValidationCache: false, logging: false });
}

const ask = async (yoga: ReturnType<typeof yogaOn>, query: string) => {
  const response = await yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> } };
};

describe('yoga on the shared operation cache', () => {
  it('runs the document the cache already holds for that text', async () => {
    const operations = new OperationCache(schema);
    const executed: DocumentNode[] = [];
    const yoga = yogaOn(operations, executed);
    const query = '{ __typename }';
    const held = operations.parse(query);
    expect((await ask(yoga, query)).body).toEqual({ data: { __typename: 'Query' } });
    expect(executed).toEqual([held]);
  });

  it('refuses with the same codes, and leaves the cached errors as they were', async () => {
    const operations = new OperationCache(schema);
    const yoga = yogaOn(operations);
    for (const [query, code] of [
      ['{ nope }', 'GRAPHQL_VALIDATION_FAILED'],
      ['{ threads { edges ', 'GRAPHQL_PARSE_FAILED'],
    ] as const) {
      const answer = await ask(yoga, query);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual([code]);
      const cached = operations.prepare(query, null);
      expect(isRefused(cached) && cached.map((error) => error.extensions)).toEqual([{ code }]);
    }
  });
});
