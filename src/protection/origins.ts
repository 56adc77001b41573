/**
 * Which web origins may talk to Thrds from a browser: the server's own
 * origin, plus those in `THRDS_ALLOWED_ORIGINS` (`*` allows any). A request
 * with no `Origin` header is not from a browser page and is not refused here
 * (tokens travel in a header, never a cookie, so there is nothing ambient to steal).
 */
import type { IncomingMessage } from 'node:http';

export function originAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes('*') || allowedOrigins.includes(origin)) return true;
  // Same origin: the page was served by this host (scheme as the client sees it, behind a TLS proxy too).
  const host = req.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

/** CORS response headers for an allowed cross-origin request; none for same-origin or refused ones. */
export function corsHeaders(req: IncomingMessage, allowedOrigins: readonly string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined || !originAllowed(req, allowedOrigins)) return {};
  return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
}
