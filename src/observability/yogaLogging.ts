/**
 * yoga's path (GET, SSE, multipart and whatever the JSON fast path hands
 * over) under the one error policy (src/graphql/errorPolicy.ts): a bug
 * logged once, in full, under the request's id; a refusal at `debug` with
 * its code. yoga's own logger only knows the error, not the request, so
 * errors are reported by `useErrorLog` (which sees them with their context,
 * before masking) and yoga's logger skips those when masking hands them
 * over again.
 */
import { type Plugin, useErrorHandler, type YogaLogger } from 'graphql-yoga';
import { reportError, wasReported } from '../graphql/errorPolicy.ts';
import { log } from './log.ts';

export function useErrorLog(): Plugin {
  return useErrorHandler(({ errors, context }) => {
    const requestId = requestIdIn(context);
    for (const error of errors) reportError(error, requestId);
  });
}

/** yoga's logger: its own messages at their level; an error it masks, unless useErrorLog reported it already. */
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
        if (wasReported(arg)) continue;
        if (arg instanceof Error) reportError(arg, undefined);
        else log.error(String(arg));
      }
    },
  };
}

/** The request id yoga's context carries: on the context itself (parse, validate) or on the execution args. */
function requestIdIn(context: unknown): string | undefined {
  const holder = context as { correlationId?: unknown; contextValue?: { correlationId?: unknown } } | null;
  const id = holder?.contextValue?.correlationId ?? holder?.correlationId;
  return typeof id === 'string' ? id : undefined;
}
