/**
 * The graphql-transport-ws protocol (what the graphql-ws client speaks) on
 * `ws` sockets, served lean. Stock graphql-ws executes and serializes every
 * event once per subscriber; here identical subscriptions form a group
 * (subscriptionGroup.ts) that executes each event once and pushes the same
 * bytes to every member. A client that cannot keep up is dropped (1013)
 * rather than buffered: it resubscribes from its last position and the log
 * still has everything.
 *
 * Layered as graphql-ws keeps `makeServer` apart from `use/ws`: the upgrade
 * (wsUpgrade.ts: path, origin, connection caps), this adapter (the only
 * code that knows `ws`: error listeners, keep-alive pings, binary frames,
 * wsTransport.ts for sending), and the protocol, which sees a socket only
 * as a SocketTransport (protocolServer.ts, one Connection per socket).
 */
import type { IncomingMessage } from 'node:http';
import { CloseCode } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Execution } from '../graphql/execution.ts';
import { requestIdOf } from '../observability/requestId.ts';
import { clientAddress } from '../protection/clientAddress.ts';
import { ConnectionLimits } from '../protection/connectionLimits.ts';
import { createProtocolServer, type OpenConnection, type ProtocolOptions, type ProtocolStats } from './protocolServer.ts';
import { acceptUpgrades, type UpgradeListener } from './wsUpgrade.ts';
import { WsTransport } from './wsTransport.ts';

export { chooseProtocol } from './wsUpgrade.ts';

export interface GatewayOptions extends ProtocolOptions {
  readonly keepAliveMs?: number;
  /** Shared with SSE, so the caps count both; default: the gateway's own. */
  readonly connectionLimits?: ConnectionLimits;
  readonly path?: string;
}

export interface Gateway {
  readonly stats: ProtocolStats;
  /** The http server's 'upgrade' listener (the WebSocketServer is `noServer`). */
  readonly upgrade: UpgradeListener;
  close(): void;
}

export function attachGateway(wss: WebSocketServer, execution: Execution, options: GatewayOptions = {}): Gateway {
  const { protection } = execution.services;
  const protocol = createProtocolServer(execution, options);
  const keepAliveMs = options.keepAliveMs ?? 12_000;
  const alive = new WeakSet<WebSocket>();
  function markAlive(this: WebSocket) {
    alive.add(this);
  }

  // Ping every socket; one that did not answer the last ping is gone.
  const keepAlive = setInterval(() => {
    for (const socket of wss.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, keepAliveMs);
  keepAlive.unref();

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    // First, before anything can fail: ws has already closed with the RFC 6455 code (1002, 1007, 1009).
    socket.on('error', protocolFault);
    const facts = { clientAddress: clientAddress(request, protection.trustProxy), requestId: requestIdOf(request) };
    const connection = protocol.opened(new WsTransport(socket, request.socket), facts);
    if (!connection) return;
    alive.add(socket);
    socket.on('pong', markAlive);
    connections.set(socket, connection);
    socket.on('message', onSocketMessage);
    socket.once('close', onSocketClose);
  });

  return {
    stats: protocol.stats,
    upgrade: acceptUpgrades(wss, {
      path: options.path ?? '/graphql',
      protection,
      limits: options.connectionLimits ?? new ConnectionLimits(protection),
    }),
    close() {
      clearInterval(keepAlive);
      protocol.close();
    },
  };
}

/** Socket → its connection, so every socket shares the same listener functions. */
const connections = new WeakMap<WebSocket, OpenConnection>();

/** A client's protocol violation: ws closes the socket with the matching code; it is not the server's fault to log. */
function protocolFault(): void {}

function onSocketMessage(this: WebSocket, data: unknown, isBinary: boolean): void {
  if (isBinary) {
    this.close(CloseCode.BadRequest, 'Binary messages are not supported');
    return;
  }
  connections.get(this)?.received(String(data));
}

function onSocketClose(this: WebSocket): void {
  connections.get(this)?.closed();
  connections.delete(this);
}
