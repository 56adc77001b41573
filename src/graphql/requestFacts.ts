/**
 * What an HTTP request tells the context factory (schema/context.ts
 * `createContext`): its bearer token, its request id, and where it came
 * from. The fast path and yoga (GET, SSE, multipart) read a request the
 * same way through this; the WebSocket gateway has the same three facts
 * from its upgrade request and the connection_init payload.
 */
import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../accounts/sessions.ts';
import { requestIdOf } from '../observability/requestId.ts';
import { clientAddress } from '../protection/clientAddress.ts';
import type { RequestInfo } from '../schema/context.ts';

export function requestFacts(req: IncomingMessage, trustProxy: boolean): RequestInfo {
  return { token: bearerToken(req.headers.authorization), correlationId: requestIdOf(req), clientAddress: clientAddress(req, trustProxy) };
}
