/** The schema builder and nothing else: every type file registers on it. */
import SchemaBuilder from '@pothos/core';
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

export const builder = new SchemaBuilder<PothosTypes>({ defaultFieldNullability: false });
