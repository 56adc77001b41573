/**
 * The one error policy of every front door (the JSON fast path, yoga's GET,
 * SSE and multipart, the WebSocket gateway and its fan-out). What a client
 * sees of an error is maskError's answer; what the log keeps is decided
 * here, under the request id of the operation that met the error:
 *
 *   a bug       one `error` line with the original error and its stack
 *   a refusal   one `debug` line with its code (refusalLog.ts sums up UNAVAILABLE)
 *
 * Once per error: the fast path and the gateway format each result once;
 * yoga meets an error twice (its error hook, which knows the request, then
 * its logger when masking replaced the error, which does not), so reported
 * errors are remembered and yoga's logger skips them (yogaLogging.ts).
 */
import type { ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { log, reasonOf } from '../observability/log.ts';
import { logRefusal } from '../observability/refusalLog.ts';
import { isGraphQLError, maskError, UNEXPECTED_MESSAGE } from './maskError.ts';

/** What a client is told of a failure that produced no result at all. */
export const UNEXPECTED: readonly GraphQLFormattedError[] = [{ message: UNEXPECTED_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } }];

const reported = new WeakSet<object>();

/** Logs `error` under `requestId` (a bug in full, a refusal as one line) and returns what the client may see of it. */
export function reportError(error: unknown, requestId: string | undefined): GraphQLError {
  const shown = maskError(error) as GraphQLError;
  if (typeof error === 'object' && error !== null) reported.add(error);
  const code = isGraphQLError(shown) ? shown.extensions?.code : undefined;
  if (code === 'INTERNAL_SERVER_ERROR' || typeof code !== 'string') logUnexpected(error, requestId);
  else logRefusal({ requestId, code, message: shown.message, reason: reasonOf(error) });
  return shown;
}

/** Whether reportError has seen this error (yoga hands it to its logger again after masking). */
export function wasReported(error: unknown): boolean {
  return typeof error === 'object' && error !== null && reported.has(error);
}

/** A result as the client receives it: every error masked and reported once under `requestId`. */
export function formatResult(result: ExecutionResult, requestId: string): FormattedExecutionResult {
  const formatted: FormattedExecutionResult = result.data === undefined ? {} : { data: result.data };
  if (!result.errors?.length) return formatted;
  return { ...formatted, errors: result.errors.map((error) => reportError(error, requestId).toJSON()) };
}

/** A failure outside any result (a bug around execution): logged in full, answered with UNEXPECTED. */
export function reportUnexpected(error: unknown, requestId: string | undefined): readonly GraphQLFormattedError[] {
  if (typeof error === 'object' && error !== null) reported.add(error);
  logUnexpected(error, requestId);
  return UNEXPECTED;
}

function logUnexpected(error: unknown, requestId: string | undefined): void {
  const original = isGraphQLError(error) ? (error.originalError ?? error) : error;
  log.error({ ...(requestId === undefined ? {} : { requestId }), err: original }, 'unexpected error');
}
