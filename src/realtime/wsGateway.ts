/**
 * The graphql-transport-ws protocol (what the graphql-ws client speaks),
 * served lean. Stock graphql-ws executes and serializes every event once per
 * subscriber; here identical subscriptions form a group (subscriptionGroup.ts)
 * that executes each event once and pushes the same bytes to every member.
 * A client that cannot keep up is dropped (1013) rather than buffered: it
 * resubscribes from its last position and the log still has everything.
 *
 * Three layers, as graphql-ws keeps `makeServer` apart from `use/ws`: the
 * upgrade (wsUpgrade.ts: path, origin, connection caps), this socket
 * adapter (error listeners, keep-alive, revocation), and the protocol state
 * machine of one connection (connection.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { requestIdOf } from '../observability/requestId.ts';
import { clientAddress } from '../protection/clientAddress.ts';
import { ConnectionLimits } from '../protection/connectionLimits.ts';
import type { Services } from '../schema/context.ts';
import { Connection, type ConnectionSettings, type Shared } from './connection.ts';
import { OperationCache } from './operationCache.ts';
import { SignedInConnections } from './signedInConnections.ts';
import { GroupRegistry } from './subscriptionGroup.ts';
import { acceptUpgrades, type UpgradeListener } from './wsUpgrade.ts';

export { chooseProtocol } from './wsUpgrade.ts';

export interface GatewayOptions {
  /** Close a client whose unsent data exceeds this many bytes. */
  readonly sendBufferLimit?: number;
  readonly connectionInitWaitMs?: number;
  readonly keepAliveMs?: number;
  /** Default: `services.protection.maxSubscriptionsPerConnection`. */
  readonly maxOperationsPerConnection?: number;
  /** Shared with SSE, so the caps count both; default: the gateway's own. */
  readonly connectionLimits?: ConnectionLimits;
  readonly path?: string;
}

export interface Gateway {
  readonly stats: {
    readonly connections: number;
    readonly subscriptions: number;
    readonly groups: number;
    executions(): number;
    /** Frames of subscription events sent, since start. */
    readonly deliveries: number;
    /** Connections closed 1013 for reading too slowly, since start. */
    readonly slowConsumerDrops: number;
  };
  /** The http server's 'upgrade' listener (the WebSocketServer is `noServer`). */
  readonly upgrade: UpgradeListener;
  close(): void;
}

export function attachGateway(wss: WebSocketServer, schema: GraphQLSchema, services: Services, options: GatewayOptions = {}): Gateway {
  const settings: ConnectionSettings = {
    sendBufferLimit: options.sendBufferLimit ?? 4 * 1024 * 1024,
    connectionInitWaitMs: options.connectionInitWaitMs ?? 3000,
    maxOperationsPerConnection: options.maxOperationsPerConnection ?? services.protection.maxSubscriptionsPerConnection,
  };
  const keepAliveMs = options.keepAliveMs ?? 12_000;
  const stats = { connections: 0, subscriptions: 0, slowConsumerDrops: 0 };
  const groups = new GroupRegistry(services.feed, settings.sendBufferLimit);
  const signedIn = new SignedInConnections(services.sessions, services.clock);
  const shared: Shared = { schema, services, operations: new OperationCache(schema), groups, settings, stats, signedIn, instance: services.newId() };
  const stopRevocations = services.sessions.onRevoked((userId) => signedIn.recheck(userId));

  const alive = new WeakSet<WebSocket>();
  function markAlive(this: WebSocket) {
    alive.add(this);
  }
  let connectionNumber = 0;

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
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      socket.close(CloseCode.SubprotocolNotAcceptable, `Subprotocol not acceptable: use ${GRAPHQL_TRANSPORT_WS_PROTOCOL}`);
      return;
    }
    alive.add(socket);
    socket.on('pong', markAlive);
    const connection = new Connection(shared, socket, request.socket, (connectionNumber += 1), clientAddress(request, services.protection.trustProxy), requestIdOf(request));
    connections.set(socket, connection);
    socket.on('message', onSocketMessage);
    socket.once('close', onSocketClose);
  });

  return {
    stats: {
      get connections() {
        return stats.connections;
      },
      get subscriptions() {
        return stats.subscriptions;
      },
      get groups() {
        return groups.size;
      },
      executions: () => groups.executions,
      get deliveries() {
        return groups.deliveries;
      },
      get slowConsumerDrops() {
        return stats.slowConsumerDrops;
      },
    },
    upgrade: acceptUpgrades(wss, {
      path: options.path ?? '/graphql',
      protection: services.protection,
      limits: options.connectionLimits ?? new ConnectionLimits(services.protection),
    }),
    close() {
      clearInterval(keepAlive);
      stopRevocations();
    },
  };
}

/** Socket → its connection, so every socket shares the same listener functions. */
const connections = new WeakMap<WebSocket, Connection>();

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
