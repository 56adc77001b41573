/**
 * The append bench's load generator: one keep-alive HTTP/1.1 connection per
 * client on a bare socket, one request at a time, as wrk or autocannon do.
 * node:http's client (an agent, a ClientRequest and an IncomingMessage
 * stream per request) cost the load process ~85 µs of CPU per message, on
 * the same two cores the server and the database need; this costs a third
 * of that. Every answer is still read whole and checked: a status other than
 * 200 or a GraphQL error fails the request.
 */
import net from 'node:net';
import { graphqlData } from './graphqlHttp.ts';

const HEADER_END = Buffer.from('\r\n\r\n');

export class LeanGraphqlConnection {
  private readonly socket: net.Socket;
  private readonly ready: Promise<void>;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (body: string) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly url: URL,
    private readonly token: string,
  ) {
    this.socket = net.connect(Number(url.port || 80), url.hostname);
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  /** POSTs a GraphQL request and resolves with its `data`, parsed. */
  async request<T>(query: string, variables: Readonly<Record<string, unknown>>): Promise<T> {
    return graphqlData<T>(await this.postJson({ query, variables }), 200);
  }

  /** POSTs `value` as JSON to the connection's URL and resolves with the body of a 2xx answer (any other status fails). */
  async postJson(value: unknown): Promise<string> {
    await this.ready;
    if (this.failure) throw this.failure;
    if (this.waiting) throw new Error('one request at a time per connection');
    const body = Buffer.from(JSON.stringify(value));
    const head =
      `POST ${this.url.pathname} HTTP/1.1\r\nHost: ${this.url.host}\r\nContent-Type: application/json\r\n` +
      `Accept: application/graphql-response+json, application/json\r\nAuthorization: Bearer ${this.token}\r\nContent-Length: ${body.length}\r\n\r\n`;
    return new Promise<string>((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const end = this.buffered.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.buffered.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    // A 204 has no body and no Content-Length (the baselines' POST /publish answers so).
    const length = status === 204 ? '0' : /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    if (length === undefined) {
      this.fail(new Error(`an answer without Content-Length (HTTP ${status}): ${head.slice(0, 200)}`));
      return;
    }
    const total = end + HEADER_END.length + Number(length);
    if (this.buffered.length < total) return;
    const body = this.buffered.subarray(end + HEADER_END.length, total).toString('utf8');
    this.buffered = this.buffered.subarray(total);
    const waiting = this.waiting;
    this.waiting = undefined;
    if (!waiting) return;
    if (status >= 200 && status < 300) waiting.resolve(body);
    else waiting.reject(new Error(`HTTP ${status}: ${body.slice(0, 200)}`));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }
}
