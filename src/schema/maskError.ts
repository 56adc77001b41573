/**
 * Two kinds of failure: an expected refusal (a ThrdsError) reaches the
 * client with its `extensions.code`; anything else is a bug, logged in full
 * (by yoga) and masked.
 */
import { GraphQLError } from 'graphql';
import { ThrdsError } from '../errors.ts';

export function maskError(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  // A refusal: graphql-js already copied its code into the GraphQLError's extensions.
  if (error instanceof GraphQLError && original instanceof ThrdsError) return error;
  if (original instanceof ThrdsError) return new GraphQLError(original.message, { extensions: original.extensions });
  // Errors graphql-js raised itself (syntax, validation, variable coercion) are safe to show.
  if (error instanceof GraphQLError && (original === undefined || original === null || original instanceof GraphQLError)) return error;
  // A bug: yoga logs the original in full; the client sees only this.
  return new GraphQLError(message, {
    ...(error instanceof GraphQLError && error.path ? { path: error.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}
