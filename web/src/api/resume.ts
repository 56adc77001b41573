/**
 * Resuming Thrds subscriptions with stock GraphQL clients: graphql-ws,
 * graphql-sse, and urql or Apollo Client over them. No dependencies, no DOM
 * and no Node API: the web app uses it, outside clients import it (or copy
 * this one file), in a browser or in Node.
 *
 * Every Thrds subscription takes `after: Position` and replays every event
 * after it, then goes live. A stock client that reconnects (the server
 * restarted, the network changed) subscribes again with the payload it first
 * sent, so `after` is where the subscription *started*, and every event seen
 * since arrives a second time. graphql-ws and graphql-sse serialise the same
 * payload object on every retry: a payload whose `variables.after` reads the
 * newest position delivered resumes exactly where the stream stopped, with
 * no gap and no duplicate.
 *
 *   const client = resumingClient(createClient({ url, retryAttempts: Infinity, shouldRetry: () => true }));
 *   client.subscribe({ query: THREAD_EVENTS, variables: { threadId, after: thread.position } }, sink);
 *   // urql:   subscriptionExchange({ forwardSubscription: (request) => ({ subscribe: (sink) => ({ unsubscribe: client.subscribe({ ...request, query: request.query ?? '' }, sink) }) }) })
 *   // Apollo: new GraphQLWsLink(client)
 *
 * The subscription must select `position` on its root field (every Thrds
 * event has it) and pass `$after` as its `after` argument.
 */

/** A log position: a decimal string (it may outgrow a double). */
export type Position = string;

/** The newest position a subscription has delivered, or where it starts (null: live from now). */
export interface ResumeCursor {
  current: Position | null;
}

export function createResumeCursor(from: Position | null = null): ResumeCursor {
  return { current: from };
}

/** Moves the cursor forward to `position`; false, and the cursor unmoved, when it was already there or past it. */
export function advance(cursor: ResumeCursor, position: Position): boolean {
  if (cursor.current !== null && BigInt(position) <= BigInt(cursor.current)) return false;
  cursor.current = position;
  return true;
}

/** A copy of `variables` whose `after` always reads the cursor (and is the original `after` until the cursor has one). */
export function withLiveAfter(variables: Readonly<Record<string, unknown>> | null | undefined, cursor: ResumeCursor): Record<string, unknown> {
  const original = variables?.['after'];
  const live: Record<string, unknown> = { ...variables };
  Object.defineProperty(live, 'after', { enumerable: true, get: () => cursor.current ?? original });
  return live;
}

/** The `position` of a subscription result's root field (`data.threadEvents.position`), or null when it has none. */
export function positionOf(result: unknown): Position | null {
  const data = typeof result === 'object' && result !== null ? (result as { data?: unknown }).data : undefined;
  if (typeof data !== 'object' || data === null) return null;
  for (const value of Object.values(data)) {
    const position = typeof value === 'object' && value !== null ? (value as { position?: unknown }).position : undefined;
    if (typeof position === 'string' && /^[0-9]+$/.test(position)) return position;
  }
  return null;
}

/** What graphql-ws and graphql-sse clients are handed to subscribe. */
export interface SubscribePayload {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>> | null;
  readonly operationName?: string | null;
  readonly extensions?: Readonly<Record<string, unknown>> | null;
}

export interface ResultSink<T = unknown> {
  next(value: T): void;
  error(error: unknown): void;
  complete(): void;
}

/** The part of a graphql-ws or graphql-sse client this module wraps. */
export interface SubscribingClient {
  subscribe(payload: SubscribePayload, sink: ResultSink<never>, ...rest: never[]): () => void;
}

/**
 * Subscribes once with `payload`, keeping its `after` at the newest
 * position delivered, so every retry of `client` resumes where the
 * subscription stopped. The cursor says how far it got.
 */
export function subscribeResuming<T>(client: SubscribingClient, payload: SubscribePayload, sink: ResultSink<T>, ...rest: unknown[]): { unsubscribe: () => void; cursor: ResumeCursor } {
  const after = payload.variables?.['after'];
  const cursor = createResumeCursor(typeof after === 'string' ? after : null);
  const resuming: SubscribePayload = { ...payload, variables: withLiveAfter(payload.variables, cursor) };
  const tracking: ResultSink<T> = {
    next(result) {
      const position = positionOf(result);
      if (position !== null) advance(cursor, position);
      sink.next(result);
    },
    error: (error) => sink.error(error),
    complete: () => sink.complete(),
  };
  const subscribe = client.subscribe.bind(client) as (payload: SubscribePayload, sink: ResultSink<T>, ...rest: unknown[]) => () => void;
  return { unsubscribe: subscribe(resuming, tracking, ...rest), cursor };
}

/**
 * `client` (graphql-ws or graphql-sse), with every subscription resuming
 * after the newest position it delivered when the client retries. Its other
 * methods are the client's own; `iterate` goes through the resuming
 * `subscribe` too.
 */
export function resumingClient<C extends SubscribingClient>(client: C): C {
  const subscribe = (payload: SubscribePayload, sink: ResultSink, ...rest: unknown[]) => subscribeResuming(client, payload, sink, ...rest).unsubscribe;
  const replaced: Record<PropertyKey, unknown> = { subscribe, iterate: (payload: SubscribePayload, ...rest: unknown[]) => iterate(subscribe, payload, rest) };
  return new Proxy(client, {
    get(target, property) {
      if (Object.hasOwn(replaced, property)) return replaced[property];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** graphql-ws's and graphql-sse's `iterate`, over the given `subscribe`. */
function iterate(subscribe: (payload: SubscribePayload, sink: ResultSink, ...rest: unknown[]) => () => void, payload: SubscribePayload, rest: unknown[]): AsyncIterableIterator<unknown> {
  const pending: unknown[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake = () => {};
  const unsubscribe = subscribe(
    payload,
    {
      next: (value) => {
        pending.push(value);
        wake();
      },
      error: (error) => {
        failure = { error };
        ended = true;
        wake();
      },
      complete: () => {
        ended = true;
        wake();
      },
    },
    ...rest,
  );
  return (async function* results() {
    try {
      for (;;) {
        while (pending.length > 0) yield pending.shift();
        if (failure) throw failure.error;
        if (ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      unsubscribe();
    }
  })();
}
