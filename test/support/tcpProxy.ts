/**
 * A TCP proxy (node:net) to put between the server and its database, with
 * faults on demand:
 *
 * - `pass`: bytes flow both ways.
 * - `stall()`: every byte is held in both directions and every socket stays
 *   open, as a network path that went silent; connections opened meanwhile are
 *   accepted and held too (their upstream is dialled on `resume()`).
 * - `cut()`: every connection is destroyed and the port stops listening, so new
 *   connections are refused (ECONNREFUSED), as a database host that went away.
 * - `resume()`: back to `pass` (held bytes are delivered, the port listens again).
 */
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'stall' | 'cut';

interface Pair {
  readonly client: Socket;
  upstream: Socket | undefined;
  /** Bytes held while stalled, per direction. */
  readonly toUpstream: Buffer[];
  readonly toClient: Buffer[];
}

export class TcpProxy {
  private mode: ProxyMode = 'pass';
  private readonly pairs = new Set<Pair>();
  private server: Server | undefined;
  private listenPort = 0;
  /** Connections accepted so far (for tests that want to see the pool reconnect). */
  accepted = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target.host, target.port);
    await proxy.listen(0);
    return proxy;
  }

  get port(): number {
    return this.listenPort;
  }

  get currentMode(): ProxyMode {
    return this.mode;
  }

  get connections(): number {
    return this.pairs.size;
  }

  stall(): void {
    this.mode = 'stall';
  }

  /** Destroys every connection and stops listening. */
  async cut(): Promise<void> {
    this.mode = 'cut';
    for (const pair of this.pairs) this.destroy(pair);
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async resume(): Promise<void> {
    const was = this.mode;
    this.mode = 'pass';
    if (was === 'cut') await this.listen(this.listenPort);
    for (const pair of this.pairs) {
      if (!pair.upstream) this.dial(pair);
      else this.flush(pair);
    }
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((client) => this.accept(client));
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (typeof address === 'object' && address) this.listenPort = address.port;
    this.server = server;
  }

  private accept(client: Socket): void {
    if (this.mode === 'cut') {
      client.destroy();
      return;
    }
    this.accepted += 1;
    const pair: Pair = { client, upstream: undefined, toUpstream: [], toClient: [] };
    this.pairs.add(pair);
    client.setNoDelay(true);
    client.on('data', (chunk: Buffer) => {
      if (this.mode === 'pass' && pair.upstream && !pair.upstream.connecting) pair.upstream.write(chunk);
      else pair.toUpstream.push(chunk);
    });
    client.on('error', () => this.destroy(pair));
    client.on('close', () => this.finish(pair));
    if (this.mode === 'pass') this.dial(pair);
  }

  private dial(pair: Pair): void {
    const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
    pair.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on('connect', () => this.flush(pair));
    upstream.on('data', (chunk: Buffer) => {
      if (this.mode === 'pass') pair.client.write(chunk);
      else pair.toClient.push(chunk);
    });
    upstream.on('error', () => this.destroy(pair));
    upstream.on('close', () => this.finish(pair));
  }

  private flush(pair: Pair): void {
    const upstream = pair.upstream;
    if (this.mode !== 'pass' || !upstream || upstream.connecting) return;
    for (const chunk of pair.toUpstream.splice(0)) upstream.write(chunk);
    for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
  }

  /** One side closed: the other gets what was written to it, then its end. */
  private finish(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.end();
    pair.upstream?.end();
  }

  private destroy(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  }
}
