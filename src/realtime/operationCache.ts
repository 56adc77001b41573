/**
 * Parses and validates each distinct operation text once. Thousands of
 * clients subscribe with the same document; none of them should pay for
 * parsing and validation after the first.
 */
import { type DocumentNode, GraphQLError, type GraphQLSchema, getOperationAST, type OperationDefinitionNode, parse, validate } from 'graphql';

export interface PreparedOperation {
  readonly query: string;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
}

export class OperationCache {
  private readonly cache = new Map<string, PreparedOperation | readonly GraphQLError[]>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly maxEntries = 1000,
  ) {}

  prepare(query: string, operationName: string | null | undefined): PreparedOperation | readonly GraphQLError[] {
    const key = `${operationName ?? ''}\u0000${query}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const prepared = this.build(query, operationName);
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, prepared);
    return prepared;
  }

  private build(query: string, operationName: string | null | undefined): PreparedOperation | readonly GraphQLError[] {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: 5000 });
    } catch (error) {
      return [error as GraphQLError];
    }
    const errors = validate(this.schema, document);
    if (errors.length > 0) return errors;
    const operation = getOperationAST(document, operationName);
    if (!operation) return [
        new GraphQLError(operationName ? `Unknown operation named "${operationName}"` : 'Must provide an operation', {
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ];
    return { query, document, operation };
  }
}
