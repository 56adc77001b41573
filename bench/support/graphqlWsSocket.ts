/**
 * A bare graphql-transport-ws client for load processes: one socket,
 * signed in through connection_init (`{ authorization: 'Bearer …' }`),
 * any number of subscriptions, each `next` payload handed over with the
 * time it was read. No library client: a process holds a thousand of these
 * and its own cost per frame must stay small and known.
 */
import { WebSocket } from 'ws';
import { nowMs } from './histogram.ts';

export interface NextPayload {
  readonly data?: Readonly<Record<string, unknown>> | null;
  readonly errors?: readonly { readonly message: string }[];
}

export interface GraphqlWsHandlers {
  /** A `next` frame of subscription `id`, read at `receivedAt` (nowMs()). */
  onNext(id: string, payload: NextPayload, receivedAt: number): void;
  /** Frames that are not `next` and not pings: errors, completions. */
  onProblem(message: string): void;
  onClose(code: number): void;
  /** Every frame read, of any type (for frame counts). */
  onFrame?(): void;
}

export interface GraphqlWsSocket {
  subscribe(id: string, query: string, variables: Readonly<Record<string, unknown>>): void;
  complete(id: string): void;
  close(): void;
  /** Frames read, all kinds (acks, pings and nexts). */
  readonly frames: number;
}

/** Opens a socket and resolves once the server acknowledged it. */
export function openGraphqlWs(url: string, token: string | undefined, handlers: GraphqlWsHandlers): Promise<GraphqlWsSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    let acknowledged = false;
    let frames = 0;
    const socket: GraphqlWsSocket = {
      subscribe(id, query, variables) {
        ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
      },
      complete(id) {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ id, type: 'complete' }));
      },
      close() {
        ws.close(1000);
      },
      get frames() {
        return frames;
      },
    };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} })));
    ws.on('message', (data: Buffer) => {
      const receivedAt = nowMs();
      frames++;
      handlers.onFrame?.();
      let frame: { type?: string; id?: string; payload?: unknown };
      try {
        frame = JSON.parse(data.toString('utf8')) as typeof frame;
      } catch {
        handlers.onProblem(`unparsable frame: ${data.toString('utf8').slice(0, 100)}`);
        return;
      }
      switch (frame.type) {
        case 'next':
          handlers.onNext(frame.id ?? '', frame.payload as NextPayload, receivedAt);
          break;
        case 'connection_ack':
          acknowledged = true;
          resolve(socket);
          break;
        case 'ping':
          ws.send(JSON.stringify({ type: 'pong' }));
          break;
        case 'pong':
          break;
        case 'error':
          handlers.onProblem(`subscription ${frame.id ?? '?'} error: ${JSON.stringify(frame.payload).slice(0, 300)}`);
          break;
        case 'complete':
          handlers.onProblem(`subscription ${frame.id ?? '?'} completed by the server`);
          break;
        default:
          handlers.onProblem(`unexpected frame ${String(frame.type)}`);
      }
    });
    ws.on('error', (error) => {
      if (!acknowledged) reject(error);
      else handlers.onProblem(String(error));
    });
    ws.on('close', (code, reason) => {
      handlers.onClose(code);
      if (!acknowledged) reject(new Error(`closed ${code} (${reason.toString()}) before connection_ack`));
    });
  });
}
