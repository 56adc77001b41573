/**
 * What a client may see of an error. An expected refusal (a ThrdsError)
 * keeps its `extensions.code`; anything else is a bug, shown as
 * "Unexpected error." with INTERNAL_SERVER_ERROR and nothing of its cause.
 * Every error a client sees has a code: graphql-js's and yoga's own
 * (syntax, validation, variable coercion, a malformed request) get theirs
 * here when the operation limits did not already add one. Pure: the error
 * policy (errorPolicy.ts) decides what is logged; yoga takes this as its
 * `maskedErrors.maskError`.
 */
import { GraphQLError } from 'graphql';
import { ThrdsError } from '../errors.ts';
import { withCode } from '../protection/operationLimits.ts';

export const UNEXPECTED_MESSAGE = 'Unexpected error.';

/** By name, not instanceof: yoga and our code may hold different copies of graphql (ESM and CJS). */
export function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

export function maskError(error: unknown, message: string = UNEXPECTED_MESSAGE): Error {
  const original = isGraphQLError(error) ? error.originalError : error;
  // A refusal: graphql-js already copied its code into the GraphQLError's extensions.
  if (isGraphQLError(error) && original instanceof ThrdsError) return error;
  if (original instanceof ThrdsError) return new GraphQLError(original.message, { extensions: original.extensions });
  // Errors graphql-js or yoga raised themselves (syntax, validation, variable coercion, request shape) are safe to show.
  if (isGraphQLError(error) && (original === undefined || original === null || isGraphQLError(original))) return withCode(error, requestErrorCode(error));
  // A bug: the error policy logs the original in full; the client sees only this.
  return new GraphQLError(message, {
    ...(isGraphQLError(error) && error.path ? { path: error.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}

/** Syntax errors are a parse failure; anything else graphql-js or yoga refuses is the client's input. */
function requestErrorCode(error: GraphQLError): string {
  return error.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'BAD_USER_INPUT';
}
