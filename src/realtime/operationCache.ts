/**
 * Parses and validates each distinct operation text once, under the one set
 * of operation limits (src/protection/operationLimits.ts) that yoga applies
 * too. Thousands of clients subscribe with the same document; none of them
 * should pay for parsing and validation after the first. The cache is
 * bounded in bytes as well as entries: a hostile client sending distinct
 * near-1 MB documents must not make it hold a gigabyte.
 */
import { type DocumentNode, GraphQLError, type GraphQLSchema, getOperationAST, type OperationDefinitionNode } from 'graphql';
import { parseOperation, validateOperation } from '../protection/operationLimits.ts';

export interface PreparedOperation {
  readonly query: string;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
}

/** A document longer than this is prepared each time rather than kept. */
const MAX_CACHED_CHARS = 64 * 1024;

export class OperationCache {
  private readonly cache = new Map<string, PreparedOperation | readonly GraphQLError[]>();
  private chars = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly maxEntries = 1000,
    private readonly maxChars = 8 * 1024 * 1024,
  ) {}

  prepare(query: string, operationName: string | null | undefined): PreparedOperation | readonly GraphQLError[] {
    const key = `${operationName ?? ''}\u0000${query}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const prepared = this.build(query, operationName);
    if (key.length > MAX_CACHED_CHARS) return prepared;
    while (this.cache.size > 0 && (this.cache.size >= this.maxEntries || this.chars + key.length > this.maxChars)) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
      this.chars -= oldest.length;
    }
    this.cache.set(key, prepared);
    this.chars += key.length;
    return prepared;
  }

  private build(query: string, operationName: string | null | undefined): PreparedOperation | readonly GraphQLError[] {
    let document: DocumentNode;
    try {
      document = parseOperation(query);
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    const errors = validateOperation(this.schema, document);
    if (errors.length > 0) return errors;
    const operation = getOperationAST(document, operationName);
    if (!operation) return [
        new GraphQLError(operationName ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.', {
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ];
    return { query, document, operation };
  }
}
