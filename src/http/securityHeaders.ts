/**
 * Security headers for every `/graphql` answer, set on the node response
 * before anything is routed, so the fast path, yoga (JSON, SSE, GraphiQL),
 * the 413 and every error carry them alike (node merges them into whatever
 * `writeHead` sends later).
 *
 * API answers are data, never a page: nothing may load from them, frame them
 * or sniff them into HTML. GraphiQL is a page (graphiqlPage.ts): it loads its
 * script, styles and editor workers from this origin only (no CDN: it works
 * offline), talks to this origin only (HTTP and SSE), and runs one inline
 * script, allowed by its hash rather than by 'unsafe-inline' so no injected
 * script can run there either.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { graphiqlPage } from './graphiqlPage.ts';

const common: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Hashes of the page's inline scripts, in CSP form. Exported for the test that checks them against the served page. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc=/i.test(match[1] ?? '') || match[2] === '') continue;
    hashes.push(`'sha256-${createHash('sha256').update(match[2] ?? '', 'utf8').digest('base64')}'`);
  }
  return hashes;
}

/** The page is the same every time (graphiqlPage.ts): its hashes are computed once. */
const GRAPHIQL_CSP = [
  "default-src 'none'",
  `script-src 'self' ${inlineScriptHashes(graphiqlPage()).join(' ')}`,
  // GraphiQL's editor sets styles inline, as elements and attributes.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The same test yoga uses to decide to answer with GraphiQL. */
function wantsGraphiQL(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

/** Sets the headers every `/graphql` answer carries; call before routing the request. */
export function setApiSecurityHeaders(req: IncomingMessage, res: ServerResponse): void {
  for (const [name, value] of Object.entries(common)) res.setHeader(name, value);
  res.setHeader('content-security-policy', wantsGraphiQL(req) ? GRAPHIQL_CSP : API_CSP);
}
