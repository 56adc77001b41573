/**
 * `Retry-After` for rate-limited and unavailable HTTP answers. A RATE_LIMITED or UNAVAILABLE error already
 * says when to come back (`extensions.retryAfter`, seconds); HTTP clients and
 * proxies read the header instead, so both transports set it: the fast path
 * from its own result, yoga's path through this plugin.
 */
import type { Plugin } from 'graphql-yoga';

interface CodedError {
  readonly extensions?: Readonly<Record<string, unknown>> | undefined;
}

/** Codes whose `extensions.retryAfter` says when to come back. */
const RETRY_LATER = new Set(['RATE_LIMITED', 'UNAVAILABLE']);

/** The longest wait any RATE_LIMITED or UNAVAILABLE error asks for, in whole seconds; undefined when none does. */
export function retryAfterSeconds(errors: readonly CodedError[] | undefined): number | undefined {
  let longest: number | undefined;
  for (const error of errors ?? []) {
    const { code, retryAfter } = error.extensions ?? {};
    if (typeof code !== 'string' || !RETRY_LATER.has(code) || typeof retryAfter !== 'number' || !Number.isFinite(retryAfter)) continue;
    longest = Math.max(longest ?? 1, Math.ceil(retryAfter));
  }
  return longest;
}

/**
 * Puts `Retry-After` on yoga's answer through `extensions.http.headers`,
 * which yoga turns into response headers and strips from the body it sends
 * (JSON and SSE alike), so the internal extension never reaches a client.
 */
export function useRetryAfter(): Plugin {
  return {
    onExecutionResult({ result, setResult }) {
      if (result === undefined || Symbol.asyncIterator in result) return;
      const seconds = retryAfterSeconds(result.errors);
      if (seconds === undefined) return;
      const http = (result.extensions?.http ?? {}) as { headers?: Record<string, string> };
      setResult({ ...result, extensions: { ...result.extensions, http: { ...http, headers: { ...http.headers, 'Retry-After': String(seconds) } } } });
    },
  };
}
