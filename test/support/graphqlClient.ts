/**
 * The one GraphQL-over-HTTP client of the tests and the benches: a POST of
 * `{ query, variables }` with a bearer token, the answer kept whole (status,
 * headers, body) for tests about the transport, or reduced to its `data`
 * with every GraphQL error thrown with its codes for tests about something
 * else. The benches' load generators keep their own sockets (the cost per
 * request is what they measure) but read answers with `dataOf`.
 */

export interface GraphQLError {
  readonly message: string;
  readonly path?: ReadonlyArray<string | number>;
  readonly extensions?: { readonly code?: string; readonly [name: string]: unknown };
}

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: GraphQLError[];
  extensions?: Record<string, unknown>;
}

/** An answer as it came: `body` is null when it was not JSON (then `text` says what it was). */
export interface GraphQLReply<T = Record<string, any>> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: GraphQLResponse<T> | null;
}

export interface GraphQLRequestOptions {
  /** Sent as `authorization: Bearer <token>`. */
  readonly token?: string | undefined;
  /** More request headers (x-request-id, origin, …). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Abort after this long: the request then rejects with a TimeoutError. */
  readonly timeoutMs?: number;
}

/** GraphQL errors in an answer, with their `extensions.code`s (UNKNOWN where one has none). */
export class GraphQLRequestError extends Error {
  readonly codes: readonly string[];

  constructor(readonly errors: readonly GraphQLError[]) {
    super(`GraphQL errors: ${JSON.stringify(errors)}`);
    this.name = 'GraphQLRequestError';
    this.codes = errors.map((error) => error.extensions?.code ?? 'UNKNOWN');
  }
}

/** POSTs one operation; rejects only when no answer came (refused, reset, timed out). */
export async function postGraphQL<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Readonly<Record<string, unknown>> = {},
  options: GraphQLRequestOptions = {},
): Promise<GraphQLReply<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
    ...(options.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(options.timeoutMs) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: parseAnswer<T>(text) };
}

/** The answer's JSON, or null when it is not JSON. */
export function parseAnswer<T>(text: string): GraphQLResponse<T> | null {
  try {
    return JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    return null;
  }
}

/** The `data` of an answer; its GraphQL errors thrown as a GraphQLRequestError, an answer without data as an Error. */
export function dataOf<T>(body: GraphQLResponse<T> | null, context: { readonly status?: number | undefined; readonly text?: string } = {}): T {
  const status = context.status === undefined ? '' : `HTTP ${context.status}: `;
  if (body === null) throw new Error(`${status}not JSON: ${(context.text ?? '').slice(0, 200)}`);
  if (body.errors?.length) throw new GraphQLRequestError(body.errors);
  if (body.data == null) throw new Error(`${status}no data in ${JSON.stringify(body).slice(0, 200)}`);
  return body.data;
}

export interface GraphQLClient {
  readonly url: string;
  /** The whole answer, for tests about status codes and headers. */
  post<T = Record<string, any>>(query: string, variables?: Readonly<Record<string, unknown>>, options?: GraphQLRequestOptions): Promise<GraphQLReply<T>>;
  /** The answer's JSON body (an answer that is not JSON fails the test). */
  gql<T = Record<string, any>>(query: string, variables?: Readonly<Record<string, unknown>>, token?: string): Promise<GraphQLResponse<T>>;
  /** The answer's data; any GraphQL error fails the test with its codes. */
  ok<T = Record<string, any>>(query: string, variables?: Readonly<Record<string, unknown>>, token?: string): Promise<T>;
}

/** A client for the GraphQL endpoint at `url` (`http://host:port/graphql`). */
export function graphqlClient(url: string | (() => string)): GraphQLClient {
  const endpoint = typeof url === 'string' ? () => url : url;
  const client: GraphQLClient = {
    get url() {
      return endpoint();
    },
    post: (query, variables, options) => postGraphQL(endpoint(), query, variables, options),
    async gql<T>(query: string, variables: Readonly<Record<string, unknown>> = {}, token?: string) {
      const reply = await postGraphQL<T>(endpoint(), query, variables, { token });
      if (reply.body === null) throw new Error(`HTTP ${reply.status}: not JSON: ${reply.text.slice(0, 200)}`);
      return reply.body;
    },
    async ok<T>(query: string, variables: Readonly<Record<string, unknown>> = {}, token?: string) {
      const reply = await postGraphQL<T>(endpoint(), query, variables, { token });
      return dataOf(reply.body, reply);
    },
  };
  return client;
}
