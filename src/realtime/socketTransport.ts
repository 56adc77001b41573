/**
 * All the graphql-transport-ws protocol knows of a socket. The protocol
 * (protocolServer.ts, connection.ts, liveSubscription.ts) and fan-out
 * (subscriptionGroup.ts) talk to this; the `ws` adapter (wsGateway.ts,
 * wsTransport.ts) makes one of each `ws` socket, as graphql-ws keeps
 * `makeServer` apart from `use/ws`. Another WebSocket server would need
 * only another adapter.
 */
export interface SocketTransport {
  /** The subprotocol the handshake settled on ('' when none). */
  readonly protocol: string;
  /** Whether frames can still be sent. */
  readonly open: boolean;
  /** Bytes accepted by `send` and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** Sends one text frame. */
  send(frame: string | Buffer): void;
  /** Starts the closing handshake with a close code and a reason of at most 123 bytes. */
  close(code: number, reason: string): void;
  /** Cuts the connection without a closing handshake (a client that never reads its close frame). */
  terminate(): void;
  /** Holds writes back until `uncork`, so a run of frames leaves in one write. */
  cork(): void;
  uncork(): void;
}
