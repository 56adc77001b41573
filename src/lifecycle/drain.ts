/**
 * Graceful drain: what SIGTERM does before the process exits. The server
 * stops being ready, stops listening and answers everything it already
 * took; every answer carries `Connection: close`, so clients reconnect
 * elsewhere. Appends are accepted until there is just time left to finish
 * them within THRDS_DRAIN_MS; after that they are refused UNAVAILABLE (their
 * clients retry elsewhere with the same idempotencyKey). No request whose
 * append committed is cut off before its answer is written.
 */
import type { ServerResponse } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';

/** The HTTP requests being answered now: plain ones (a drain waits for them) and streams (SSE: a drain ends them). */
export class InFlight {
  private readonly requests = new Set<ServerResponse>();
  private readonly streams = new Set<ServerResponse>();
  private waiters: Array<() => void> = [];
  /** When the last request arrived (ms since the epoch). */
  lastArrival = 0;

  arrived(): void {
    this.lastArrival = Date.now();
  }

  track(res: ServerResponse, stream: boolean): void {
    const set = stream ? this.streams : this.requests;
    set.add(res);
    res.once('close', () => {
      set.delete(res);
      if (this.requests.size === 0) this.wake();
    });
  }

  /** Resolves when no plain request is in flight, or at `deadline` (false then). `tick` runs every 50 ms meanwhile. */
  async settled(deadline: number, tick?: () => void): Promise<boolean> {
    while (this.requests.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(50, left));
        const waiters = this.waiters;
        function done() {
          clearTimeout(timer);
          resolve();
        }
        waiters.push(done);
      });
      tick?.();
    }
    return true;
  }

  /** Ends every stream once what was written to it is sent. */
  endStreams(): void {
    for (const res of this.streams) res.end();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Closes every WebSocket with 1001 once its pending frames are sent (or at `deadline`, whatever is left). */
export async function closeWebSockets(wss: WebSocketServer, deadline: number): Promise<void> {
  const pending = new Set<WebSocket>(wss.clients);
  while (pending.size > 0) {
    for (const socket of pending) {
      if (socket.bufferedAmount === 0 || Date.now() >= deadline) {
        socket.close(1001, 'server shutting down');
        pending.delete(socket);
      }
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // A socket that does not answer the close handshake is cut at the deadline (a second at most).
  const cutAt = Math.min(deadline, Date.now() + 1000);
  while (wss.clients.size > 0 && Date.now() < cutAt) await new Promise((resolve) => setTimeout(resolve, 20));
  for (const socket of wss.clients) socket.terminate();
}
