/**
 * The Authorization a client sends in connection_init's payload (graphql-ws
 * `connectionParams`). Clients put it one of two ways: as a field of its own
 * (`{ authorization: 'Bearer …' }`, as graphql-ws's recipes show) or as the
 * HTTP header they send with every request (`{ headers: { Authorization:
 * 'Bearer …' } }`, as setups that share one header object between their
 * HTTP and WebSocket links do). Both work, the name in any case (as HTTP
 * header names); the field of its own wins when both are sent. A value
 * that is there but not a string is the client's mistake, refused with the
 * field named (4400), not taken for anonymous.
 */

export type ConnectionAuthorization =
  /** The Authorization value, or undefined when the client sent none (it may read anonymously). */
  | { readonly header: string | undefined }
  /** Why the payload cannot be read: a close reason. */
  | { readonly refused: string };

const NAME = 'authorization';
const NONE: ConnectionAuthorization = { header: undefined };

export function connectionAuthorization(payload: unknown): ConnectionAuthorization {
  if (!isRecord(payload)) return NONE;
  const own = fieldOf(payload, 'connectionParams');
  if (own) return own;
  const headers = payload.headers;
  if (headers === undefined || headers === null) return NONE;
  if (!isRecord(headers)) return { refused: 'connectionParams.headers must be an object' };
  return fieldOf(headers, 'connectionParams.headers') ?? NONE;
}

/** The first field named authorization, in any case (as HTTP header names), that holds a value; undefined when none does. */
function fieldOf(holder: Readonly<Record<string, unknown>>, where: string): ConnectionAuthorization | undefined {
  for (const [name, value] of Object.entries(holder)) {
    if (name.length !== NAME.length || name.toLowerCase() !== NAME || value === undefined || value === null) continue;
    if (typeof value !== 'string') return { refused: `${where}.${name} must be a string: "Bearer <token>"` };
    return { header: value };
  }
  return undefined;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
