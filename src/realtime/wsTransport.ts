/**
 * A `ws` socket as the protocol sees it (socketTransport.ts). Corking
 * works on the TCP socket under it (the upgraded request's): ws has no
 * cork of its own, and the frames of a run of events should leave in one
 * write.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { SocketTransport } from './socketTransport.ts';

/** Every frame of graphql-transport-ws is text, Buffers included (fan-out sends shared bytes). */
const TEXT = { binary: false } as const;

export class WsTransport implements SocketTransport {
  constructor(
    private readonly socket: WebSocket,
    private readonly tcp: Duplex,
  ) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  send(frame: string | Buffer): void {
    this.socket.send(frame, TEXT);
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  terminate(): void {
    this.socket.terminate();
  }

  cork(): void {
    this.tcp.cork();
  }

  uncork(): void {
    this.tcp.uncork();
  }
}
