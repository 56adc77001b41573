/**
 * Parses and validates each distinct operation text once, under the one set
 * of operation limits (src/protection/operationLimits.ts), for every front
 * door: the JSON fast path and the WebSocket gateway through `prepare`,
 * yoga (GET, SSE, multipart) through `parse` and `validate`
 * (yogaOperations.ts). Thousands of clients send the same few documents;
 * none of them should pay for parsing and validation after the first, and
 * one document gets one answer, with one code, whichever door it came in by.
 *
 * Bounded in bytes as well as entries: a hostile client sending distinct
 * near-1 MB documents must not make it hold a gigabyte. Validation results
 * hang off the parsed document (a WeakMap), so they go when it goes.
 */
import { type DocumentNode, GraphQLError, type GraphQLSchema, getOperationAST, type OperationDefinitionNode } from 'graphql';
import { parseOperation, validateOperation } from '../protection/operationLimits.ts';

export interface PreparedOperation {
  readonly query: string;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
}

/** A document longer than this is parsed each time rather than kept. */
const MAX_CACHED_CHARS = 64 * 1024;

/** A query text parsed: its document, or the one error the parser raised. */
type Parsed = DocumentNode | GraphQLError;

export class OperationCache {
  private readonly parsed = new Map<string, Parsed>();
  private readonly validated = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  private chars = 0;

  constructor(
    readonly schema: GraphQLSchema,
    private readonly maxEntries = 1000,
    private readonly maxChars = 8 * 1024 * 1024,
  ) {}

  /** The operation to run, or why there is none (syntax, validation, limits, operation name), every error with a code. */
  prepare(query: string, operationName: string | null | undefined): PreparedOperation | readonly GraphQLError[] {
    const document = this.parsedOf(query);
    if (document instanceof GraphQLError) return [document];
    const errors = this.validate(document);
    if (errors.length > 0) return errors;
    const operation = getOperationAST(document, operationName);
    if (!operation) return [unknownOperation(operationName)];
    return { query, document, operation };
  }

  /** The document of `query`; throws its syntax (or size) error, as graphql-js's `parse` does. */
  parse(query: string): DocumentNode {
    const document = this.parsedOf(query);
    if (document instanceof GraphQLError) throw document;
    return document;
  }

  /** What schema validation and the limits say of a document: [] when it may run. */
  validate(document: DocumentNode): readonly GraphQLError[] {
    let errors = this.validated.get(document);
    if (!errors) this.validated.set(document, (errors = validateOperation(this.schema, document)));
    return errors;
  }

  private parsedOf(query: string): Parsed {
    const cached = this.parsed.get(query);
    if (cached) return cached;
    const parsed = parseOrError(query);
    if (query.length > MAX_CACHED_CHARS) return parsed;
    while (this.parsed.size > 0 && (this.parsed.size >= this.maxEntries || this.chars + query.length > this.maxChars)) {
      const oldest = this.parsed.keys().next().value as string;
      this.parsed.delete(oldest);
      this.chars -= oldest.length;
    }
    this.parsed.set(query, parsed);
    this.chars += query.length;
    return parsed;
  }
}

function parseOrError(query: string): Parsed {
  try {
    return parseOperation(query);
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
}

function unknownOperation(operationName: string | null | undefined): GraphQLError {
  const message = operationName ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.';
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Whether `prepare` refused the operation (Array.isArray does not narrow a readonly array). */
export function isRefused(prepared: PreparedOperation | readonly GraphQLError[]): prepared is readonly GraphQLError[] {
  return Array.isArray(prepared);
}
