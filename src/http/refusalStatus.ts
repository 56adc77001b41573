/**
 * The HTTP status of a refusal that leaves no data, on yoga's path. yoga
 * takes an error wrapping a non-GraphQL error (our ThrdsError refusals) for
 * a bug, so a subscription refused at subscribe time (an unknown thread)
 * answered 500, which SSE clients such as graphql-sse retry as a network
 * failure. A refusal is the client's: 200 with the error in the stream or
 * body, or 400 for `application/graphql-response+json`, whose spec says a
 * response without data is a request error. An outage (UNAVAILABLE) is
 * 503 under that media type, so proxies and clients retry it as such.
 */
import type { Plugin } from 'graphql-yoga';

interface CodedError {
  readonly extensions?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The status of a request refused before it ran (no `data` key at all): 400
 * under the graphql-response+json media type; 200 under application/json,
 * whose clients read errors from the body. An operation that ran, even to
 * `data: null` (a mutation without a token), is 200 under both, as the
 * GraphQL-over-HTTP spec says and the fast path answers. Undefined: not a
 * refusal (a bug, or data).
 */
function refusalStatus(errors: readonly CodedError[] | undefined, hasData: boolean, graphqlResponse: boolean): number | undefined {
  if (hasData || !errors?.length) return undefined;
  const codes = errors.map((error) => error.extensions?.code);
  if (!codes.every((code) => typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR')) return undefined;
  return graphqlResponse ? 400 : 200;
}

/**
 * 503 for an answer an outage emptied: an UNAVAILABLE error and no field
 * with a value (`{ thread: null }` counts as empty: the read failed, it did
 * not find nothing). Undefined otherwise.
 */
export function unavailableStatus(errors: readonly CodedError[] | undefined, data: unknown, graphqlResponse: boolean): 503 | undefined {
  if (!graphqlResponse || !errors?.some((error) => error.extensions?.code === 'UNAVAILABLE')) return undefined;
  const empty = data == null || (typeof data === 'object' && Object.values(data).every((value) => value === null));
  return empty ? 503 : undefined;
}

export function useRefusalStatus(): Plugin<{ request: Request }> {
  return {
    onExecutionResult({ result, setResult, context }) {
      if (result === undefined || Symbol.asyncIterator in result) return;
      const accept = context.request.headers.get('accept') ?? '';
      const graphqlResponse = accept.includes('application/graphql-response+json') && !accept.includes('text/event-stream');
      const status = unavailableStatus(result.errors, result.data, graphqlResponse) ?? refusalStatus(result.errors, result.data !== undefined, graphqlResponse);
      if (status === undefined) return;
      const http = (result.extensions?.http ?? {}) as Record<string, unknown>;
      setResult({ ...result, extensions: { ...result.extensions, http: { ...http, status } } });
    },
  };
}
