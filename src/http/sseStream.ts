/**
 * GraphQL over SSE as stock clients expect it (graphql-sse's "distinct
 * connections mode", a browser's EventSource): yoga's SSE stream, with two
 * differences.
 *
 * - Each result that comes from a log event carries the event's position as
 *   its SSE `id` (ssePositions.ts), so `Last-Event-ID` can resume the stream.
 * - An operation refused before or at subscribe time (a document that does
 *   not validate, a variable that does not coerce, an unknown thread) is
 *   answered 200 with its errors in a `next` event, as the protocol asks.
 *   yoga answers a variable that does not coerce with 400 and a bug with 500,
 *   which graphql-sse retries as network failures and EventSource reports
 *   with no reason. Statuses about the HTTP request itself (405 with its
 *   `Allow`, 413) stay.
 */
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { FetchAPI, Plugin } from 'graphql-yoga';

/** What yoga hands a result processor: one result (or a batch), or a stream of them. */
export type ResultProcessorInput = Parameters<NonNullable<Plugin['onResultProcess']>>[0]['result'];

/** Comment lines keep proxies and browsers from timing an idle stream out; yoga's interval. */
const PING_EVERY_MS = 12_000;
const PING = ':\n\n';

interface HttpExtension {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

type StreamedResult = ExecutionResult & { readonly stringify?: (result: ExecutionResult) => string };
/** One result, or a batch of them (yoga's batching, off here). */
type Answer = StreamedResult | readonly StreamedResult[];

/** The event stream for `result`; `take` gives the log position of the result about to be written, if it has one. */
export function eventStream(result: ResultProcessorInput, fetchAPI: FetchAPI, take: () => number | undefined): Response {
  const encoder = new fetchAPI.TextEncoder();
  const iterator: AsyncIterator<Answer> = isAsyncIterable(result) ? result[Symbol.asyncIterator]() : once(result as Answer);
  let ping: ReturnType<typeof setInterval> | undefined;
  const body = new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      // Some browsers hold a fetch until the first bytes arrive.
      controller.enqueue(encoder.encode(PING));
      ping = setInterval(() => {
        if (controller.desiredSize === null) clearInterval(ping);
        else if (controller.desiredSize > 0) controller.enqueue(encoder.encode(PING));
      }, PING_EVERY_MS);
    },
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (value != null) controller.enqueue(encoder.encode(nextEvent(value, take())));
        if (done) {
          clearInterval(ping);
          controller.enqueue(encoder.encode('event: complete\ndata:\n\n'));
          controller.close();
        }
      } catch (error) {
        clearInterval(ping);
        controller.error(error);
      }
    },
    async cancel(reason) {
      clearInterval(ping);
      await iterator.return?.(reason);
    },
  });
  const headers: Record<string, string> = { 'Content-Type': 'text/event-stream', Connection: 'keep-alive', 'Cache-Control': 'no-cache', 'Content-Encoding': 'none' };
  return new fetchAPI.Response(body, { status: isAsyncIterable(result) ? 200 : answerStatus(result as Answer, headers), headers });
}

function nextEvent(value: Answer, position: number | undefined): string {
  const id = position === undefined ? '' : `id: ${position}\n`;
  const data = Array.isArray(value) ? `[${value.map(serialised).join(',')}]` : serialised(value as StreamedResult);
  return `${id}event: next\ndata: ${data}\n\n`;
}

/** 200, unless an error names a status about the HTTP request itself (4xx but 400); the headers errors ask for are added to `headers`. */
function answerStatus(result: Answer, headers: Record<string, string>): number {
  let status = 200;
  for (const one of Array.isArray(result) ? result : [result as StreamedResult]) {
    const hints = [httpOf(one.extensions), ...(one.errors ?? []).map((error: GraphQLError) => httpOf(error.extensions))];
    for (const hint of hints) {
      if (hint?.headers) Object.assign(headers, hint.headers);
      if (hint?.status !== undefined && hint.status > 400 && hint.status < 500) status = Math.max(status, hint.status);
    }
  }
  return status;
}

/** What the client sees: yoga's internal hints (`http`, `unexpected`) left out, as yoga's own stream does. */
function serialised(result: StreamedResult): string {
  const { http: _http, ...extensions } = result.extensions ?? {};
  const visible = {
    ...(result.errors ? { errors: result.errors.map(withoutHints) } : {}),
    ...('data' in result ? { data: result.data } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
  return result.stringify ? result.stringify(visible as unknown as ExecutionResult) : JSON.stringify(visible);
}

function withoutHints(error: GraphQLError): Record<string, unknown> {
  const json = (typeof error.toJSON === 'function' ? error.toJSON() : error) as unknown as Record<string, unknown>;
  const { http: _http, unexpected: _unexpected, ...extensions } = (json['extensions'] ?? {}) as Record<string, unknown>;
  const { extensions: _all, ...rest } = json;
  return Object.keys(extensions).length > 0 ? { ...rest, extensions } : rest;
}

function httpOf(extensions: Readonly<Record<string, unknown>> | undefined): HttpExtension | undefined {
  const http = extensions?.['http'];
  return typeof http === 'object' && http !== null ? (http as HttpExtension) : undefined;
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<StreamedResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function once<T>(value: T): AsyncIterator<T> {
  let given = false;
  return {
    next: () => {
      if (given) return Promise.resolve({ done: true, value: undefined });
      given = true;
      return Promise.resolve({ done: false, value });
    },
  };
}
