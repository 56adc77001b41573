/**
 * A WebSocket client made of a bare TCP socket: the upgrade handshake by
 * hand and frames built byte by byte, so a test can send what no WebSocket
 * library would (unmasked frames, reserved bits, bad UTF-8, absurd lengths)
 * and read exactly what the server answers, close frame included.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface ServerFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

export interface RawWebSocket {
  readonly socket: Socket;
  /** The HTTP status line and headers the server answered the upgrade with. */
  readonly response: string;
  /** Text frames received so far, parsed as JSON (unless `keepMessages` is false). */
  readonly messages: Array<Record<string, unknown>>;
  /** How many text frames have arrived. */
  readonly received: () => number;
  /** Resolves when the TCP connection ends: the close code of the server's close frame, if it sent one. */
  readonly ended: Promise<{ code: number | null; reason: string }>;
  /** Writes bytes as they are. */
  write(bytes: Buffer): void;
  /** A masked text frame, as a well-behaved client sends it. */
  sendJson(message: unknown): void;
  /** Resolves with the first message `match` accepts (already received or to come). */
  next(match: (message: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

export interface RawOptions {
  /** Offered subprotocols; [] sends no Sec-WebSocket-Protocol header. */
  readonly protocols?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  /** Bytes sent in the same write as the handshake request (they reach the server before it answers). */
  readonly withHandshake?: Buffer;
  /** Do not read after the handshake: the server's frames pile up unread. */
  readonly stopReading?: boolean;
  readonly localAddress?: string;
  /** Default /graphql. */
  readonly path?: string;
  /** false: only count text frames, keep none (a test measuring the server's memory in this process). */
  readonly keepMessages?: boolean;
}

/** Opens the TCP connection and does the upgrade; rejects when the server answers anything but 101. */
export function openRaw(port: number, options: RawOptions = {}): Promise<RawWebSocket> {
  const protocols = options.protocols ?? ['graphql-transport-ws'];
  const socket = connect({ port, host: '127.0.0.1', ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
  const request = [
    `GET ${options.path ?? '/graphql'} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...(protocols.length ? [`Sec-WebSocket-Protocol: ${protocols.join(', ')}`] : []),
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  socket.write(options.withHandshake ? Buffer.concat([Buffer.from(request), options.withHandshake]) : Buffer.from(request));

  const messages: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  let buffered = Buffer.alloc(0);
  let received = 0;
  let closeFrame: { code: number | null; reason: string } | undefined;
  const ended = new Promise<{ code: number | null; reason: string }>((resolve) => {
    socket.once('close', () => resolve(closeFrame ?? { code: null, reason: '' }));
  });
  socket.on('error', () => {});

  const readFrames = () => {
    for (;;) {
      const frame = takeFrame(buffered);
      if (!frame) return;
      buffered = buffered.subarray(frame.length);
      if (frame.opcode === 0x1) {
        received += 1;
        if (options.keepMessages !== false || received === 1) messages.push(JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>);
      }
      if (frame.opcode === 0x8) {
        closeFrame = frame.payload.length >= 2 ? { code: frame.payload.readUInt16BE(0), reason: frame.payload.subarray(2).toString('utf8') } : { code: null, reason: '' };
        // Complete the closing handshake as a client does: echo the code, then end.
        if (socket.writable) socket.end(clientFrame(0x8, frame.payload.subarray(0, 2)));
      }
      for (const wake of waiters) wake();
    }
  };

  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const response = head.subarray(0, end).toString('latin1');
      buffered = head.subarray(end + 4);
      if (!response.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        reject(Object.assign(new Error(`upgrade refused: ${response.split('\r\n')[0]}`), { response }));
        return;
      }
      if (options.stopReading) socket.pause();
      else {
        socket.on('data', (more: Buffer) => {
          buffered = Buffer.concat([buffered, more]);
          readFrames();
        });
        readFrames();
      }
      resolve({
        socket,
        response,
        messages,
        received: () => received,
        ended,
        write: (bytes) => {
          if (socket.writable) socket.write(bytes);
        },
        sendJson(message) {
          if (socket.writable) socket.write(clientFrame(0x1, Buffer.from(JSON.stringify(message))));
        },
        next(match, timeoutMs = 10_000) {
          return new Promise((found, fail) => {
            const look = () => {
              const hit = messages.find(match);
              if (!hit) return false;
              waiters.delete(look);
              clearTimeout(timer);
              found(hit);
              return true;
            };
            const timer = setTimeout(() => {
              waiters.delete(look);
              fail(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 500)}`));
            }, timeoutMs);
            if (!look()) waiters.add(look);
          });
        },
      });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed during the handshake')));
  });
}

/** A client frame: FIN set, masked (as RFC 6455 requires of clients) unless told otherwise. */
export function clientFrame(opcode: number, payload: Buffer, { masked = true, firstByte }: { masked?: boolean; firstByte?: number } = {}): Buffer {
  const length = payload.length;
  const header =
    length < 126 ? Buffer.from([0, length]) : length < 65_536 ? Buffer.from([0, 126, length >> 8, length & 0xff]) : Buffer.concat([Buffer.from([0, 127]), u64(length)]);
  header[0] = firstByte ?? 0x80 | opcode;
  if (!masked) return Buffer.concat([header, payload]);
  header[1]! |= 0x80;
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i += 1) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([header, mask, body]);
}

function u64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

/** One server frame at the start of `bytes` (servers do not mask), or undefined when incomplete. */
function takeFrame(bytes: Buffer): (ServerFrame & { length: number }) | undefined {
  if (bytes.length < 2) return undefined;
  const opcode = bytes[0]! & 0x0f;
  let length = bytes[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (bytes.length < 4) return undefined;
    length = bytes.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return undefined;
    length = Number(bytes.readBigUInt64BE(2));
    offset = 10;
  }
  if (bytes.length < offset + length) return undefined;
  return { opcode, payload: bytes.subarray(offset, offset + length), length: offset + length };
}

/** Sends connection_init (with a token if given) and waits for the ack. */
export async function initialise(ws: RawWebSocket, token?: string): Promise<void> {
  ws.sendJson({ type: 'connection_init', ...(token ? { payload: { authorization: `Bearer ${token}` } } : {}) });
  await ws.next((m) => m.type === 'connection_ack');
}
