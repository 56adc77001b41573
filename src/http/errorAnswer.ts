/**
 * A GraphQL error answered before any operation runs (a refused origin, a
 * body too large, malformed GET parameters, a connection cap): the same JSON
 * shape and headers as the API's own answers, from one place.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export const JSON_RESPONSE = 'application/json; charset=utf-8';

export interface ErrorBody {
  readonly message: string;
  readonly extensions: Readonly<Record<string, unknown>> & { readonly code: string };
}

export function answerError(res: ServerResponse, status: number, error: ErrorBody, headers: OutgoingHttpHeaders = {}): void {
  const body = JSON.stringify({ errors: [error] });
  res.writeHead(status, { 'content-type': JSON_RESPONSE, 'content-length': Buffer.byteLength(body), ...headers }).end(body);
}
