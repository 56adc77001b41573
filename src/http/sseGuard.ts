/**
 * Bounds for GraphQL streams over HTTP (SSE, and yoga's multipart/mixed
 * alike), the same as the WebSocket gateway gives its sockets:
 *
 * - each stream is a connection under the per-address and total caps, and
 *   is counted (with its live subscriptions, events sent and streams cut)
 *   for `/healthz` and `/metrics`;
 * - a client may leave at most `sendBufferLimit` bytes unread
 *   (THRDS_WS_SEND_BUFFER_LIMIT applies to SSE too): the stream is written
 *   without waiting, as the gateway writes a socket, and destroyed once more
 *   than that is queued, so a non-reading client costs the limit plus one
 *   event, never a whole replay. A reader that falls further behind than
 *   that (a slow link on a long replay) is dropped the same way; either
 *   resumes with `after` (or `Last-Event-ID`, sseEvents.ts) set to the last
 *   position it received;
 * - when the response closes for any reason, the subscription's iterator is
 *   returned at once (the feed stops reading the log for it) instead of
 *   waiting for whatwg-node to notice, which it does not while it waits for
 *   a `drain` that never comes. A subscription leaves the count only once
 *   that `return()` has settled, so `/healthz` at 0 means the feed let go.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { log } from '../observability/log.ts';
import { requestIdOf } from '../observability/requestId.ts';
import { clientAddress } from '../protection/clientAddress.ts';
import { answerError } from './errorAnswer.ts';
import { useSseEvents } from './sseEvents.ts';
import { CONNECTION_RETRY_AFTER_SECONDS, type ConnectionLimits } from '../protection/connectionLimits.ts';

/** The part of ConnectionLimits (shared with the WebSocket gateway) a stream needs. */
export type ConnectionGate = Pick<ConnectionLimits, 'tryOpen'>;

export interface SseGuardOptions {
  readonly connections: ConnectionGate;
  readonly sendBufferLimit: number;
  readonly trustProxy: boolean;
}

export interface SseGuard {
  /** Open streams and the live subscriptions they carry; events sent and streams cut for reading too slowly, since start. */
  readonly stats: { readonly connections: number; readonly subscriptions: number; readonly deliveries: number; readonly slowConsumerDrops: number };
  /** Admits a streaming request (see isStreamRequest) or answers it with 429; false when refused. */
  admit(req: IncomingMessage, res: ServerResponse): boolean;
  /** For yoga: counts subscriptions and ends each when its response closes; brings the SSE stream itself (sseEvents.ts: event ids, Last-Event-ID, errors at 200). */
  readonly plugin: Plugin;
}

/** A request yoga will answer with a stream (SSE or multipart) rather than one JSON body. */
export function isStreamRequest(req: IncomingMessage): boolean {
  const accept = (req.headers.accept ?? '').toLowerCase();
  return accept.includes('text/event-stream') || accept.includes('multipart/mixed');
}

export function createSseGuard(options: SseGuardOptions): SseGuard {
  let connections = 0;
  let subscriptions = 0;
  let deliveries = 0;
  let slowConsumerDrops = 0;
  const bounded = new WeakSet<ServerResponse>();

  /** Writes never wait for the client; past the limit the response is destroyed. */
  const boundWrites = (res: ServerResponse): void => {
    if (bounded.has(res)) return;
    bounded.add(res);
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    res.write = ((...args: unknown[]) => {
      write(...args);
      if (res.writableLength <= options.sendBufferLimit) return true;
      if (!res.destroyed) {
        slowConsumerDrops += 1;
        log.debug({ requestId: requestIdOf(res.req), bufferedBytes: res.writableLength }, 'event stream too slow: closed');
      }
      res.destroy();
      return false;
    }) as ServerResponse['write'];
  };

  return {
    stats: {
      get connections() {
        return connections;
      },
      get subscriptions() {
        return subscriptions;
      },
      get deliveries() {
        return deliveries;
      },
      get slowConsumerDrops() {
        return slowConsumerDrops;
      },
    },

    admit(req, res) {
      const release = options.connections.tryOpen(clientAddress(req, options.trustProxy));
      if (!release) {
        const error = { message: 'Too many open connections: close one or try again later', extensions: { code: 'RATE_LIMITED', retryAfter: CONNECTION_RETRY_AFTER_SECONDS } };
        answerError(res, 429, error, { 'retry-after': String(CONNECTION_RETRY_AFTER_SECONDS) });
        return false;
      }
      connections += 1;
      res.once('close', () => {
        connections -= 1;
        release();
      });
      boundWrites(res);
      return true;
    },

    plugin: {
      onPluginInit({ addPlugin }) {
        addPlugin(useSseEvents());
      },
      onSubscribe({ args }) {
        const res = (args.contextValue as { res?: ServerResponse }).res;
        return {
          onSubscribeResult({ result, setResult }) {
            if (!isAsyncIterable(result)) return;
            if (res) boundWrites(res);
            subscriptions += 1;
            setResult(endedWith(result, res, () => (subscriptions -= 1), () => (deliveries += 1)));
          },
        };
      },
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * The same iteration, with `onEnd` called exactly once when it is over: at
 * its end, or once the source's `return()` has settled (so a count that goes
 * down proves the feed let go), and with `return()` called on the source the
 * moment `res` closes.
 */
function endedWith<T>(source: AsyncIterable<T>, res: ServerResponse | undefined, onEnd: () => void, onNext: () => void): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    onEnd();
  };
  const end = (): boolean => {
    if (ended) return false;
    ended = true;
    res?.off('close', stop);
    return true;
  };
  const returnSource = async (value?: unknown): Promise<IteratorResult<T>> => {
    try {
      return (await iterator.return?.(value)) ?? { done: true, value: undefined };
    } finally {
      finish();
    }
  };
  function stop(): void {
    if (end()) returnSource().catch((error: unknown) => log.error({ err: error, ...(res ? { requestId: requestIdOf(res.req) } : {}) }, 'ending an SSE subscription failed'));
  }
  if (res?.destroyed || res?.closed) queueMicrotask(stop);
  else res?.once('close', stop);

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      try {
        const result = await iterator.next();
        if (result.done) {
          if (end()) finish();
        } else onNext();
        return result;
      } catch (error) {
        if (end()) finish();
        throw error;
      }
    },
    return(value?: unknown) {
      if (!end()) return Promise.resolve({ done: true, value: undefined });
      return returnSource(value);
    },
    async throw(error?: unknown) {
      if (end()) finish();
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
  };
}
