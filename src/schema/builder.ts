/** The schema builder and nothing else: every type file registers on it. */
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import { type GraphQLField, isListType, isNonNullType, type GraphQLOutputType } from 'graphql';
import { QueryTooComplexError } from '../errors.ts';
import { QUERY_LIMITS } from '../protection/operationLimits.ts';
import type { Context } from './context.ts';

export interface PothosTypes {
  Context: Context;
  /** Fields are non-null unless they say `nullable: true`, as the public contract is written. */
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: number; Output: number };
    Position: { Input: number; Output: number };
    JSON: { Input: unknown; Output: unknown };
  };
}

/** What one operation may ask for: generous for any real client, a wall for a query built to exhaust the server. */
export { QUERY_LIMITS };

/**
 * One unit of complexity stands for at most about 1 KB of response
 * (src/protection/operationLimits.ts bounds the response with it): text
 * that can hold 4,000 characters (a body, an event's `data`) weighs 25, a
 * 200-character title 2.
 */
const TEXT_WEIGHT: Readonly<Record<string, number>> = { body: 25, data: 25, title: 2 };

const listed = (type: GraphQLOutputType): boolean => isListType(isNonNullType(type) ? type.ofType : type);

function fieldComplexity(_args: Record<string, unknown>, _ctx: Context, field: GraphQLField<unknown, Context, Record<string, unknown>>) {
  const weight = TEXT_WEIGHT[field.name] ?? 1;
  // A connection's `edges` are already counted by its own first/last multiplier.
  if (listed(field.type)) return { field: weight, multiplier: field.name === 'edges' ? 1 : 10 };
  return weight;
}

export const builder = new SchemaBuilder<PothosTypes>({
  plugins: [ComplexityPlugin],
  defaultFieldNullability: false,
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    fieldComplexity,
    limit: QUERY_LIMITS,
    complexityError: (kind, result) =>
      new QueryTooComplexError(`The query exceeds the ${kind.toLowerCase()} limit`, {
        depth: result.depth,
        breadth: result.breadth,
        complexity: result.complexity,
        limits: QUERY_LIMITS,
      }),
  },
});
