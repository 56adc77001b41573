/** The schema builder and nothing else: every type file registers on it. */
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import { ValidationError } from '../errors.ts';
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
export const QUERY_LIMITS = { depth: 12, breadth: 300, complexity: 20_000 } as const;

export const builder = new SchemaBuilder<PothosTypes>({
  plugins: [ComplexityPlugin],
  defaultFieldNullability: false,
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    limit: QUERY_LIMITS,
    complexityError: (kind, result) =>
      new ValidationError(`The query exceeds the ${kind.toLowerCase()} limit`, {
        depth: result.depth,
        breadth: result.breadth,
        complexity: result.complexity,
        limits: QUERY_LIMITS,
      }),
  },
});
