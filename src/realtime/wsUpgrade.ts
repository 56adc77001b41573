/**
 * The WebSocket front door: what an HTTP upgrade meets before the protocol
 * sees a socket. Only `/graphql`; only from an allowed origin (403
 * otherwise: a page on another site must not use a visitor's network
 * position); only while the connection caps leave room (429 with
 * `Retry-After`). Every socket has an error listener before anything can
 * go wrong on it, so nothing a client sends reaches the process as an
 * unhandled 'error' event.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import type { WebSocketServer } from 'ws';
import { log } from '../observability/log.ts';
import { requestIdOf } from '../observability/requestId.ts';
import { clientAddress } from '../protection/clientAddress.ts';
import { CONNECTION_RETRY_AFTER_SECONDS, type ConnectionLimits } from '../protection/connectionLimits.ts';
import { originAllowed } from '../protection/origins.ts';
import type { ProtectionConfig } from '../protection/protectionConfig.ts';

export interface UpgradePolicy {
  readonly path: string;
  readonly protection: Pick<ProtectionConfig, 'allowedOrigins' | 'trustProxy'>;
  readonly limits: ConnectionLimits;
}

export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * The WebSocketServer's `handleProtocols`. graphql-transport-ws when
 * offered; otherwise the first protocol offered, so that the handshake
 * completes and the client reads why it is refused (4406, naming the
 * protocol to use) instead of failing the handshake and retrying blind.
 */
export function chooseProtocol(protocols: Set<string>): string | false {
  if (protocols.has(GRAPHQL_TRANSPORT_WS_PROTOCOL)) return GRAPHQL_TRANSPORT_WS_PROTOCOL;
  const [first] = protocols;
  return first ?? false;
}

/** The http server's 'upgrade' listener for a `noServer` WebSocketServer. */
export function acceptUpgrades(wss: WebSocketServer, policy: UpgradePolicy): UpgradeListener {
  // With noServer ws emits no server errors of its own; a listener keeps any future one from being fatal.
  wss.on('error', (error: Error) => log.error({ err: error }, 'WebSocket server error'));
  // The handshake's answer names the connection: its request id (the client's, when acceptable) prefixes every operation's.
  wss.on('headers', (headers: string[], req: IncomingMessage) => headers.push(`X-Request-Id: ${requestIdOf(req)}`));
  // A malformed handshake (no key, wrong version, bad extension header): ws's message says what was wrong.
  wss.on('wsClientError', (error: Error, socket: Duplex, req: IncomingMessage) => refuseUpgrade(socket, 400, error.message, { 'X-Request-Id': requestIdOf(req) }));

  return (req, socket, head) => {
    socket.on('error', peerGone);
    const requestId = { 'X-Request-Id': requestIdOf(req) };
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== policy.path) return refuseUpgrade(socket, 404, 'Not found', requestId);
    if (!originAllowed(req, policy.protection.allowedOrigins)) return refuseUpgrade(socket, 403, 'Origin not allowed', requestId);
    const release = policy.limits.tryOpen(clientAddress(req, policy.protection.trustProxy));
    if (!release) return refuseUpgrade(socket, 429, 'Too many connections', { ...requestId, 'Retry-After': String(CONNECTION_RETRY_AFTER_SECONDS) });
    // The TCP socket closes exactly once, however the upgrade or the connection ends.
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
}

/** A reset or broken pipe from the peer: the socket is destroyed and its close releases what it held; nothing to report. */
function peerGone(): void {}

const REASONS: Readonly<Record<number, string>> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' };

/** Answers the upgrade request with a plain HTTP error and closes the socket once it is written (the drain's 503 too). */
export function refuseUpgrade(socket: Duplex, status: number, message: string, headers: Readonly<Record<string, string>> = {}): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${message}\n`;
  const lines = [
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
