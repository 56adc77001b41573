/**
 * The common request, served directly: a JSON POST of a query or mutation
 * to /graphql. The append bench showed graphql-yoga's Fetch-API plumbing
 * (a Request, an AbortSignal, header objects, a Response per request)
 * costing more server CPU than the append itself. This handler parses the
 * body, reuses the parsed and validated document, executes with graphql-js
 * and writes the result. Anything else (GET, GraphiQL, SSE, a body that
 * does not parse, an invalid document) it hands to yoga unchanged, so yoga
 * stays the reference for status codes and edge cases. A subscription
 * POSTed without an event-stream Accept is answered 406 here at once.
 * The origin policy, CORS and security headers are applied before either
 * path runs (see server.ts `route`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { execute, type GraphQLError, type GraphQLSchema, OperationTypeNode } from 'graphql';
import { bearerToken } from '../accounts/sessions.ts';
import { OperationCache, type PreparedOperation } from '../realtime/operationCache.ts';
import { clientAddress } from '../protection/clientAddress.ts';
import { log, reasonOf } from '../observability/log.ts';
import { logRefusal } from '../observability/refusalLog.ts';
import { requestIdOf } from '../observability/requestId.ts';
import { createContext, type Services } from '../schema/context.ts';
import { maskError } from '../schema/maskError.ts';
import { answerError, JSON_RESPONSE } from './errorAnswer.ts';
import { unavailableStatus } from './refusalStatus.ts';
import { retryAfterSeconds } from './retryAfter.ts';

/** Answers a request yoga should take instead, body included. */
export type Fallback = (req: IncomingMessage, res: ServerResponse, body: Buffer | undefined) => void;

interface Body {
  readonly query: string;
  readonly variables?: Record<string, unknown> | null;
  readonly operationName?: string | null;
}

const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';

export function createGraphqlPostHandler(schema: GraphQLSchema, services: Services, maxBytes: number, fallback: Fallback) {
  const operations = new OperationCache(schema);

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
      const prepared = request ? operations.prepare(request.query, request.operationName) : undefined;
      if (!request || !prepared || Array.isArray(prepared)) {
        fallback(req, res, body);
        return;
      }
      if ((prepared as PreparedOperation).operation.operation === OperationTypeNode.SUBSCRIPTION) {
        notAcceptable(res); // takes() saw no event-stream Accept: a stream would never be read as one answer
        return;
      }
      respond(req, res, prepared as PreparedOperation, request).catch((error: unknown) => {
        log.error({ requestId: requestIdOf(req), err: error }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_RESPONSE });
        res.end(JSON.stringify({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
      });
    });
    return true;
  };

  async function respond(req: IncomingMessage, res: ServerResponse, prepared: PreparedOperation, request: Body): Promise<void> {
    const correlationId = requestIdOf(req);
    const result = await execute({
      schema,
      document: prepared.document,
      operationName: request.operationName ?? null,
      variableValues: request.variables ?? null,
      contextValue: createContext(services, { token: bearerToken(req.headers.authorization), correlationId, clientAddress: clientAddress(req, services.protection.trustProxy) }),
    });
    const errors = result.errors?.map((error) => {
      const shown = maskError(error, 'Unexpected error.') as GraphQLError;
      // A bug in full (error, with its stack); a refusal or an outage as one debug line with its code.
      if (shown.extensions?.code === 'INTERNAL_SERVER_ERROR') log.error({ requestId: correlationId, err: error.originalError ?? error }, 'unexpected error');
      else logRefusal({ requestId: correlationId, code: String(shown.extensions?.code), message: shown.message, reason: reasonOf(error) });
      return shown.toJSON();
    });
    const graphqlResponse = accepts(req, 'application/graphql-response+json');
    // A request error (no data at all, e.g. bad variables) is a 400 under the graphql-response+json media type;
    // an outage (UNAVAILABLE, nothing written) a 503.
    const unavailable = unavailableStatus(errors, result.data, graphqlResponse) === 503;
    const status = unavailable ? 503 : graphqlResponse && result.data === undefined ? 400 : 200;
    const body = JSON.stringify(errors ? { errors, data: result.data } : { data: result.data });
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

function parseBody(body: Buffer): Body | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const { query, variables, operationName } = parsed as Record<string, unknown>;
    if (typeof query !== 'string') return undefined;
    if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
    if (operationName != null && typeof operationName !== 'string') return undefined;
    return { query, variables: (variables ?? null) as Record<string, unknown> | null, operationName: (operationName ?? null) as string | null };
  } catch {
    return undefined;
  }
}

/** A subscription needs a stream: SSE (`Accept: text/event-stream`) or a WebSocket. */
function notAcceptable(res: ServerResponse): void {
  answerError(res, 406, { message: 'Subscriptions need Accept: text/event-stream, or a WebSocket (graphql-transport-ws)', extensions: { code: 'BAD_USER_INPUT' } });
}

export function tooLarge(res: ServerResponse, maxBytes: number): void {
  answerError(res, 413, { message: `Requests are limited to ${maxBytes} bytes`, extensions: { code: 'BAD_USER_INPUT' } }, { connection: 'close' });
}
