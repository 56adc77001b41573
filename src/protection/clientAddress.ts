/**
 * The address a request comes from, for per-address limits. Behind a reverse
 * proxy (`THRDS_TRUST_PROXY=1`) it is the last hop the proxy appended to
 * `X-Forwarded-For`; otherwise the socket's peer, since anyone can send the header.
 */
import type { IncomingMessage } from 'node:http';

export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').at(-1)?.trim();
    if (last && last.length <= 64) return last;
  }
  const peer = req.socket.remoteAddress ?? 'unknown';
  // IPv4 clients of a dual-stack socket show as ::ffff:a.b.c.d; one address, one counter.
  return peer.startsWith('::ffff:') ? peer.slice(7) : peer;
}
