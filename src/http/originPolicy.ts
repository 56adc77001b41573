/**
 * The origin policy for `/graphql` over HTTP, in one place for the fast path
 * and yoga alike (yoga's own CORS is off: it echoes any origin with
 * credentials). Runs before routing:
 *
 * - no `Origin` (curl, servers, same-origin GETs): served as before;
 * - the server's own origin or one in `THRDS_ALLOWED_ORIGINS`: served, with
 *   CORS headers that name it (credentials allowed), and preflights answered;
 * - any other origin: 403 with a FORBIDDEN error and no CORS headers, so the
 *   request does nothing at all rather than running and hiding its answer
 *   from the page (a write would already have happened). WebSocket upgrades
 *   from such origins are refused with 403 in the same way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsHeaders, originAllowed } from '../protection/origins.ts';
import { answerError } from './errorAnswer.ts';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** What our clients and GraphiQL send; a preflight asking for others gets these, and the browser decides. */
const ALLOWED_HEADERS = 'authorization, content-type, accept, x-request-id, x-graphql-yoga-csrf, last-event-id';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * Applies the policy: returns true when it has answered the request itself
 * (a preflight, or a refusal), false when the caller should serve it (the
 * CORS headers are then already set on `res`).
 */
export function applyOriginPolicy(req: IncomingMessage, res: ServerResponse, allowedOrigins: readonly string[]): boolean {
  if (!originAllowed(req, allowedOrigins)) {
    answerError(res, 403, { message: `Origin ${req.headers.origin} may not use this API (see THRDS_ALLOWED_ORIGINS)`, extensions: { code: 'FORBIDDEN' } }, { vary: 'Origin' });
    return true;
  }
  const cors = corsHeaders(req, allowedOrigins);
  for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
  // A page may read only the safelisted headers of a cross-origin answer unless told: it needs Retry-After.
  if (Object.keys(cors).length > 0) res.setHeader('access-control-expose-headers', 'Retry-After, X-Request-Id');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
      allow: ALLOWED_METHODS,
      'content-length': '0',
    }).end();
    return true;
  }
  return false;
}
