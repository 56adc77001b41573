/**
 * The HTTP status of a refusal that leaves no data, on yoga's path. yoga
 * takes an error wrapping a non-GraphQL error (our ThrdsError refusals) for
 * a bug, so a subscription refused at subscribe time (an unknown thread)
 * answered 500, which SSE clients such as graphql-sse retry as a network
 * failure. A refusal is the client's: 200 with the error in the stream or
 * body, or 400 for `application/graphql-response+json`, whose spec says a
 * response without data is a request error.
 */
import type { Plugin } from 'graphql-yoga';

export function useRefusalStatus(): Plugin<{ request: Request }> {
  return {
    onExecutionResult({ result, setResult, context }) {
      if (result === undefined || Symbol.asyncIterator in result) return;
      if (result.data != null || !result.errors?.length) return;
      const refused = result.errors.every((error) => typeof error.extensions?.code === 'string' && error.extensions.code !== 'INTERNAL_SERVER_ERROR');
      if (!refused) return;
      const accept = context.request.headers.get('accept') ?? '';
      const status = accept.includes('application/graphql-response+json') && !accept.includes('text/event-stream') ? 400 : 200;
      const http = (result.extensions?.http ?? {}) as Record<string, unknown>;
      setResult({ ...result, extensions: { ...result.extensions, http: { ...http, status } } });
    },
  };
}
