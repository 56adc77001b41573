/**
 * The WebSocket path's error policy, the same as HTTP's: refusals keep their
 * `extensions.code`; anything unexpected is masked for the client and
 * logged once on the server with the operation's correlation id.
 */
import type { ExecutionResult, FormattedExecutionResult, GraphQLError } from 'graphql';
import { log, reasonOf } from '../observability/log.ts';
import { logRefusal } from '../observability/refusalLog.ts';
import { maskError } from '../schema/maskError.ts';

export const UNEXPECTED = [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];

export function masked(result: ExecutionResult, correlationId: string): FormattedExecutionResult {
  const formatted: FormattedExecutionResult = result.data === undefined ? {} : { data: result.data };
  if (!result.errors?.length) return formatted;
  const errors = result.errors.map((error) => {
    const safe = maskError(error, 'Unexpected error.') as GraphQLError;
    if (safe !== error && safe.extensions?.code === 'INTERNAL_SERVER_ERROR') logUnexpected(correlationId, error.originalError ?? error);
    else logRefusal({ requestId: correlationId, code: String(safe.extensions?.code), message: safe.message, reason: reasonOf(error) });
    return safe.toJSON();
  });
  return { ...formatted, errors };
}

/** A bug: logged in full (with its stack) under the operation's request id. */
export function logUnexpected(correlationId: string, error: unknown): void {
  log.error({ requestId: correlationId, err: error }, 'unexpected error on the WebSocket path');
}
