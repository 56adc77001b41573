/**
 * The specifications of our own scalars, served where their
 * `specifiedByURL` points (`/scalars/<name>`), from docs/scalars: the spec a
 * client reads is the one of the server it talks to, offline too.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const SCALAR_SPECS_PATH = '/scalars/';

const specs: Readonly<Record<string, URL>> = {
  position: new URL('../../docs/scalars/position.md', import.meta.url),
};

/** Answers a request under /scalars/; false when it is not one. Only the files listed are served, by name. */
export function serveScalarSpec(req: IncomingMessage, res: ServerResponse): boolean {
  if (!req.url?.startsWith(SCALAR_SPECS_PATH)) return false;
  const file = specs[req.url.slice(SCALAR_SPECS_PATH.length)];
  const headers = { 'x-content-type-options': 'nosniff' };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
    return true;
  }
  if (!file) {
    res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    return true;
  }
  const text = readFileSync(file);
  res.writeHead(200, { ...headers, 'content-type': 'text/markdown; charset=utf-8', 'content-length': text.length, 'cache-control': 'public, max-age=3600' });
  res.end(req.method === 'HEAD' ? undefined : text);
  return true;
}
