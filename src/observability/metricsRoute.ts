/**
 * `GET /metrics`: the Prometheus text of the app's metrics. With
 * THRDS_METRICS_TOKEN set, only for `Authorization: Bearer <token>` (401
 * otherwise); without it, open (keep it off the public side of the proxy).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from './log.ts';
import type { Metrics } from './metrics.ts';

export function isMetricsRequest(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  return url === '/metrics' || url.startsWith('/metrics?');
}

export function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: Metrics, token: string | undefined): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
    return;
  }
  if (token !== undefined && !sameSecret(/^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? '', token)) {
    res.writeHead(401, { 'www-authenticate': 'Bearer realm="thrds metrics"', 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('Unauthorized\n');
    return;
  }
  metrics.scrape().then(
    ({ contentType, body }) => {
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    (error: unknown) => {
      log.error({ err: error }, 'collecting metrics failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Collecting metrics failed\n');
    },
  );
}

/** Compares digests, so the time taken says nothing about the token. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
