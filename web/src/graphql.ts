/**
 * The typed `graphql()` tag. Operations written with it are checked against
 * `web/schema.graphql` at build time (through the generated `graphql-env.d.ts`),
 * so a schema change that breaks a query breaks `npm run check:web`.
 */
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; Position: string; JSON: unknown };
  disableMasking: true;
}>();

export type { ResultOf, VariablesOf } from 'gql.tada';
