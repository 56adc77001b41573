/**
 * The common request, served directly: a JSON POST of a query or mutation
 * to /graphql. The append bench showed graphql-yoga's Fetch-API plumbing
 * (a Request, an AbortSignal, header objects, a Response per request)
 * costing more server CPU than the append itself. This handler parses the
 * body and runs it through the one execute path (src/graphql/execution.ts:
 * the shared operation cache, context factory and error policy), then
 * writes the result. Anything else (GET, GraphiQL, SSE, a body that is not
 * a well-formed request, an invalid document) it hands to yoga unchanged,
 * so yoga stays the reference for status codes and edge cases (the
 * graphql-http audit holds both to the spec). A subscription POSTed
 * without an event-stream Accept is answered 406 here at once. The origin
 * policy, CORS and security headers are applied before either path runs
 * (see server.ts `route`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OperationTypeNode } from 'graphql';
import { reportUnexpected } from '../graphql/errorPolicy.ts';
import type { Execution } from '../graphql/execution.ts';
import { isRefused, type PreparedOperation } from '../graphql/operationCache.ts';
import { requestFacts } from '../graphql/requestFacts.ts';
import { requestIdOf } from '../observability/requestId.ts';
import { answerError, JSON_RESPONSE } from './errorAnswer.ts';
import { unavailableStatus } from './refusalStatus.ts';
import { retryAfterSeconds } from './retryAfter.ts';

/** Answers a request yoga should take instead, body included. */
export type Fallback = (req: IncomingMessage, res: ServerResponse, body: Buffer | undefined) => void;

interface Body {
  readonly query: string;
  readonly variables: Record<string, unknown> | null;
  readonly operationName: string | null;
}

const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';

export function createGraphqlPostHandler(execution: Execution, maxBytes: number, fallback: Fallback) {
  const { trustProxy } = execution.services.protection;

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!takes(req)) return false;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (size > maxBytes) {
        tooLarge(res, maxBytes);
        return;
      }
      const request = parseBody(body);
      const prepared = request ? execution.prepare(request.query, request.operationName) : undefined;
      // Refusals are yoga's to answer (its status codes are the reference); they come from the same cache there.
      if (!request || !prepared || isRefused(prepared)) {
        fallback(req, res, body);
        return;
      }
      if (prepared.operation.operation === OperationTypeNode.SUBSCRIPTION) {
        notAcceptable(res); // takes() saw no event-stream Accept: a stream would never be read as one answer
        return;
      }
      respond(req, res, prepared, request).catch((error: unknown) => {
        const errors = reportUnexpected(error, requestIdOf(req));
        if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_RESPONSE });
        res.end(JSON.stringify({ errors }));
      });
    });
    return true;
  };

  async function respond(req: IncomingMessage, res: ServerResponse, prepared: PreparedOperation, request: Body): Promise<void> {
    const { data, errors } = await execution.run(prepared, request.variables, requestFacts(req, trustProxy));
    const graphqlResponse = accepts(req, 'application/graphql-response+json');
    // A request error (no data at all, e.g. bad variables) is a 400 under the graphql-response+json media type;
    // an outage (UNAVAILABLE, nothing written) a 503.
    const unavailable = unavailableStatus(errors, data, graphqlResponse) === 503;
    const status = unavailable ? 503 : graphqlResponse && data === undefined ? 400 : 200;
    const body = JSON.stringify(errors ? { errors, data } : { data });
    // A length rather than chunked framing: one less thing for every client to parse.
    // CORS and security headers are already on `res` (originPolicy.ts, securityHeaders.ts); node merges them in.
    const headers: Record<string, string | number> = {
      'content-type': graphqlResponse ? GRAPHQL_RESPONSE : JSON_RESPONSE,
      'content-length': Buffer.byteLength(body),
    };
    const retryAfter = retryAfterSeconds(errors);
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    res.writeHead(status, headers).end(body);
  }
}

/** A JSON POST to exactly /graphql that accepts a JSON answer (not an event stream). */
function takes(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== '/graphql') return false;
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return false;
  const accept = (req.headers.accept ?? '*/*').toLowerCase();
  if (accept.includes('text/event-stream') || accept.includes('multipart/mixed')) return false;
  return accept.includes('*/*') || accept.includes('application/json') || accept.includes('application/graphql-response+json');
}

function accepts(req: IncomingMessage, type: string): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes(type);
}

/** A well-formed GraphQL-over-HTTP request body; undefined sends it to yoga, which answers what is wrong (400). */
function parseBody(body: Buffer): Body | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (!isObject(parsed)) return undefined;
    const { query, variables, operationName, extensions } = parsed;
    if (typeof query !== 'string') return undefined;
    if (variables != null && !isObject(variables)) return undefined;
    if (operationName != null && typeof operationName !== 'string') return undefined;
    // Not read here, but the spec says what it must be: a map.
    if (extensions != null && !isObject(extensions)) return undefined;
    return { query, variables: (variables ?? null) as Record<string, unknown> | null, operationName: (operationName ?? null) as string | null };
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A subscription needs a stream: SSE (`Accept: text/event-stream`) or a WebSocket. */
function notAcceptable(res: ServerResponse): void {
  answerError(res, 406, { message: 'Subscriptions need Accept: text/event-stream, or a WebSocket (graphql-transport-ws)', extensions: { code: 'BAD_USER_INPUT' } });
}

export function tooLarge(res: ServerResponse, maxBytes: number): void {
  answerError(res, 413, { message: `Requests are limited to ${maxBytes} bytes`, extensions: { code: 'BAD_USER_INPUT' } }, { connection: 'close' });
}
