/**
 * yoga's path (GET, SSE, multipart and whatever the JSON fast path hands
 * over) logs like the rest: a bug once, in full, under the request's id; a
 * refusal (a ThrdsError, or graphql-js refusing the document) at `debug`
 * with its code and no stack. yoga's own logger only knows the error, not
 * the request, so errors are logged by `useErrorLog` (which sees them with
 * their context, before masking) and yoga's logger skips those again.
 */
import { GraphQLError } from 'graphql';
import { type Plugin, useErrorHandler, type YogaLogger } from 'graphql-yoga';
import { maskError } from '../schema/maskError.ts';
import { log, reasonOf } from './log.ts';
import { logRefusal } from './refusalLog.ts';

/** Errors useErrorLog has already logged (yoga hands the same objects to its logger when masking them). */
const logged = new WeakSet<object>();

export function useErrorLog(): Plugin {
  return useErrorHandler(({ errors, context }) => {
    const requestId = requestIdIn(context);
    for (const error of errors) {
      logged.add(error);
      logError(error, requestId);
    }
  });
}

/** yoga's logger: its own messages at their level; an error it masks, unless useErrorLog logged it already. */
export function yogaLogger(): YogaLogger {
  const at =
    (level: 'debug' | 'info' | 'warn') =>
    (...args: unknown[]) =>
      log[level](args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' '));
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error(...args: unknown[]) {
      for (const arg of args) {
        if (typeof arg === 'object' && arg !== null && logged.has(arg)) continue;
        if (arg instanceof Error) logError(arg);
        else log.error(String(arg));
      }
    },
  };
}

function logError(error: Error, requestId?: string): void {
  const logger = requestId === undefined ? log : log.child({ requestId });
  const shown = maskError(error, 'Unexpected error.');
  const code = shown instanceof GraphQLError || shown.name === 'GraphQLError' ? (shown as GraphQLError).extensions?.code : undefined;
  if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) logger.error({ err: originalOf(error) }, 'unexpected error');
  else logRefusal({ requestId, code: String(code), message: shown.message, reason: reasonOf(error) });
}

function originalOf(error: Error): unknown {
  return (error as { originalError?: unknown }).originalError ?? error;
}

/** The request id yoga's context carries: on the context itself (parse, validate) or on the execution args. */
function requestIdIn(context: unknown): string | undefined {
  const holder = context as { correlationId?: unknown; contextValue?: { correlationId?: unknown } } | null;
  const id = holder?.contextValue?.correlationId ?? holder?.correlationId;
  return typeof id === 'string' ? id : undefined;
}
