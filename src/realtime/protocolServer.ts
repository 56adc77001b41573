/**
 * The graphql-transport-ws server without a socket library, as graphql-ws's
 * `makeServer` is: an adapter (wsGateway.ts for `ws`) tells it a socket
 * opened, as a SocketTransport with the facts of its upgrade request, and
 * feeds the connection it gets back every text frame and the close. What
 * the connections share lives here: the subscription groups (one execution
 * per event for every identical subscription), who is signed in on which
 * socket (a revoked session closes them, 4403), the settings and the counts.
 */
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import type { Execution } from '../graphql/execution.ts';
import { Connection, type ConnectionSettings, type Shared } from './connection.ts';
import { SignedInConnections } from './signedInConnections.ts';
import type { SocketTransport } from './socketTransport.ts';
import { GroupRegistry } from './subscriptionGroup.ts';
import { SharedResults } from './ephemeralSubscription.ts';

/** The subprotocol of subscriptions-transport-ws, which Apollo retired; its clients cannot speak ours. */
export const LEGACY_PROTOCOL = 'graphql-ws';

export interface ProtocolOptions {
  /** Close a client whose unsent data exceeds this many bytes. */
  readonly sendBufferLimit?: number;
  readonly connectionInitWaitMs?: number;
  /** Default: `services.protection.maxSubscriptionsPerConnection`. */
  readonly maxOperationsPerConnection?: number;
}

export interface ProtocolStats {
  readonly connections: number;
  readonly subscriptions: number;
  readonly groups: number;
  executions(): number;
  /** Frames of subscription results sent (log events, and presence, typing and thread updates), since start. */
  readonly deliveries: number;
  /** Connections closed 1013 for reading too slowly, since start. */
  readonly slowConsumerDrops: number;
}

/** What the upgrade request said about the socket. */
export interface SocketFacts {
  /** Where it comes from (protection/clientAddress.ts). */
  readonly clientAddress: string;
  /** The upgrade request's id: each operation's correlation id starts with it. */
  readonly requestId: string;
}

/** An accepted socket's side of the protocol: the adapter hands it every text frame, then the close. */
export interface OpenConnection {
  received(text: string): void;
  closed(): void;
}

export interface ProtocolServer {
  /** A socket opened: its connection, or undefined when it was refused (and is being closed). */
  opened(transport: SocketTransport, facts: SocketFacts): OpenConnection | undefined;
  readonly stats: ProtocolStats;
  /** Stops listening for revoked sessions (the sockets themselves are the adapter's to close). */
  close(): void;
}

export function createProtocolServer(execution: Execution, options: ProtocolOptions = {}): ProtocolServer {
  const { services } = execution;
  const settings: ConnectionSettings = {
    sendBufferLimit: options.sendBufferLimit ?? 4 * 1024 * 1024,
    connectionInitWaitMs: options.connectionInitWaitMs ?? 3000,
    maxOperationsPerConnection: options.maxOperationsPerConnection ?? services.protection.maxSubscriptionsPerConnection,
  };
  const counts = { connections: 0, subscriptions: 0, slowConsumerDrops: 0, ephemeralFrames: 0 };
  const groups = new GroupRegistry(services.feed, settings.sendBufferLimit);
  const values = new SharedResults();
  const signedIn = new SignedInConnections(services.sessions, services.clock);
  const shared: Shared = { execution, groups, values, settings, stats: counts, signedIn, instance: services.newId() };
  const stopRevocations = services.sessions.onRevoked((userId) => signedIn.recheck(userId));
  let connectionNumber = 0;

  return {
    opened(transport, facts) {
      if (transport.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
        transport.close(CloseCode.SubprotocolNotAcceptable, refusalOf(transport.protocol));
        return undefined;
      }
      return new Connection(shared, transport, (connectionNumber += 1), facts.clientAddress, facts.requestId);
    },
    stats: {
      get connections() {
        return counts.connections;
      },
      get subscriptions() {
        return counts.subscriptions;
      },
      get groups() {
        return groups.size;
      },
      executions: () => groups.executions + values.executions,
      get deliveries() {
        return groups.deliveries + counts.ephemeralFrames;
      },
      get slowConsumerDrops() {
        return counts.slowConsumerDrops;
      },
    },
    close: stopRevocations,
  };
}

/** Why a socket that does not speak graphql-transport-ws is closed (4406): it names the protocol to use. */
function refusalOf(protocol: string): string {
  if (protocol === LEGACY_PROTOCOL) return `Subprotocol ${LEGACY_PROTOCOL} (subscriptions-transport-ws) is not supported: use ${GRAPHQL_TRANSPORT_WS_PROTOCOL}`;
  return `Subprotocol not acceptable: use ${GRAPHQL_TRANSPORT_WS_PROTOCOL}`;
}
