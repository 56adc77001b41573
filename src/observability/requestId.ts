/**
 * Request ids. A client's `x-request-id` is kept when it is 1–64 printable
 * ASCII characters (safe in a header, a log line and the events'
 * correlation id column); otherwise the request gets a fresh UUID. The id is
 * fixed once per request (the first asker decides, everyone after reads the
 * same), echoed in the `x-request-id` response header, put on every log line
 * of the request and stored as its events' correlation id.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const MAX_REQUEST_ID = 64;
export const REQUEST_ID_HEADER = 'x-request-id';

/** `value` when it is an acceptable request id; otherwise `fresh()`. */
export function requestIdFrom(value: string | null | undefined, fresh: () => string = randomUUID): string {
  return value && value.length <= MAX_REQUEST_ID && /^[\x21-\x7e]+$/.test(value) ? value : fresh();
}

const ids = new WeakMap<IncomingMessage, string>();

/** The id of this HTTP request (or WebSocket upgrade): the same on every call. */
export function requestIdOf(req: IncomingMessage): string {
  let id = ids.get(req);
  if (id === undefined) {
    const header = req.headers[REQUEST_ID_HEADER];
    id = requestIdFrom(typeof header === 'string' ? header : undefined);
    ids.set(req, id);
  }
  return id;
}

/** A WebSocket operation's correlation id: the connection's request id and the operation's id, within the bound. */
export function operationRequestId(connectionId: string, operationId: string): string {
  return `${connectionId}:${operationId}`.slice(0, MAX_REQUEST_ID);
}
