/**
 * Every HTTP request, once answered: counted for /metrics by route and
 * status, and logged at `debug` (an access log when LOG_LEVEL=debug) with
 * its request id, method, path, status and duration.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from './log.ts';
import type { Metrics } from './metrics.ts';

const ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics']);

/** A label with few values: the server's own paths by name, files as "/files", everything else (the web app, 404s) as "other". */
export function routeOf(url: string | undefined): string {
  const path = (url ?? '').split('?', 1)[0] ?? '';
  if (ROUTES.has(path)) return path;
  return path.startsWith('/files/') ? '/files' : 'other';
}

export function observeRequest(req: IncomingMessage, res: ServerResponse, requestId: string, metrics: Metrics): void {
  const started = performance.now();
  res.once('close', () => {
    const route = routeOf(req.url);
    const status = res.headersSent ? res.statusCode : 0;
    metrics.httpRequest(route, status);
    if (log.isLevelEnabled('debug')) {
      log.debug({ requestId, method: req.method, path: (req.url ?? '').split('?', 1)[0], status, ms: Math.round(performance.now() - started), ...(res.writableFinished ? {} : { aborted: true }) }, 'request');
    }
  });
}
