/**
 * Two kinds of failure: an expected refusal (a ThrdsError) reaches the
 * client with its `extensions.code`; anything else is a bug, logged in full
 * (by yoga) and masked. Every error a client sees has a code: graphql-js's
 * and yoga's own (syntax, validation, variable coercion, a malformed
 * request) get theirs here when the limits plugin did not already add one.
 */
import { GraphQLError } from 'graphql';
import { ThrdsError } from '../errors.ts';
import { withCode } from '../protection/operationLimits.ts';

/** By name, not instanceof: yoga and our code may hold different copies of graphql (ESM and CJS). */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

export function maskError(error: unknown, message: string): Error {
  const original = isGraphQLError(error) ? error.originalError : error;
  // A refusal: graphql-js already copied its code into the GraphQLError's extensions.
  if (isGraphQLError(error) && original instanceof ThrdsError) return error;
  if (original instanceof ThrdsError) return new GraphQLError(original.message, { extensions: original.extensions });
  // Errors graphql-js or yoga raised themselves (syntax, validation, variable coercion, request shape) are safe to show.
  if (isGraphQLError(error) && (original === undefined || original === null || isGraphQLError(original))) return withCode(error, requestErrorCode(error));
  // A bug: yoga logs the original in full; the client sees only this.
  return new GraphQLError(message, {
    ...(isGraphQLError(error) && error.path ? { path: error.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}

/** Syntax errors are a parse failure; anything else graphql-js or yoga refuses is the client's input. */
function requestErrorCode(error: GraphQLError): string {
  return error.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'BAD_USER_INPUT';
}
