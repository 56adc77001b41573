/**
 * WebSocket at the byte level, so the fuzz can send what no client library
 * would: frames built field by field (any FIN/RSV/opcode/mask/length, a
 * length header that lies), over a raw TCP socket after a hand-made upgrade
 * handshake; and the server's frames read back (close code and reason, text
 * messages).
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export const OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export interface FrameFields {
  readonly fin?: boolean;
  /** RSV1..3 as a 3-bit number (4 = RSV1). */
  readonly rsv?: number;
  readonly opcode: number;
  /** The 4-byte masking key; `null` sends the frame unmasked (a protocol error from a client). */
  readonly mask?: Buffer | null;
  readonly payload?: Buffer;
  /** The length to declare instead of the payload's own (to lie about it). */
  readonly declaredLength?: bigint;
  /** Force the 7-bit, 16-bit (126) or 64-bit (127) length form. */
  readonly lengthForm?: 7 | 16 | 64;
}

export function encodeFrame(fields: FrameFields): Buffer {
  const payload = fields.payload ?? Buffer.alloc(0);
  const length = fields.declaredLength ?? BigInt(payload.length);
  const form = fields.lengthForm ?? (length < 126n ? 7 : length < 65536n ? 16 : 64);
  const mask = fields.mask === undefined ? randomBytes(4) : fields.mask;
  const head = [((fields.fin ?? true) ? 0x80 : 0) | (((fields.rsv ?? 0) & 7) << 4) | (fields.opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (form === 7) head.push(maskBit | Number(length & 0x7fn));
  else if (form === 16) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(Number(length & 0xffffn));
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(length & 0xffffffffffffffffn);
  }
  const body = Buffer.from(payload);
  if (mask) for (let i = 0; i < body.length; i++) body[i] = (body[i] as number) ^ (mask[i % 4] as number);
  return Buffer.concat([Buffer.from(head), extended, mask ?? Buffer.alloc(0), body]);
}

/** A well-formed masked text frame. */
export const textFrame = (text: string | Buffer): Buffer => encodeFrame({ opcode: OPCODE.text, payload: Buffer.isBuffer(text) ? text : Buffer.from(text) });

export function closePayload(code: number, reason: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(code & 0xffff);
  return Buffer.concat([out, reason]);
}

export interface UpgradeOptions {
  /** Sec-WebSocket-Protocol, or null to send none. */
  readonly protocol: string | null;
  readonly path?: string;
  readonly method?: string;
  readonly version?: string;
  /** Sec-WebSocket-Key, or null to send none. */
  readonly key?: string | null;
  readonly extraHeaders?: readonly string[];
}

export function upgradeRequest(options: UpgradeOptions): Buffer {
  const lines = [
    `${options.method ?? 'GET'} ${options.path ?? '/graphql'} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Version: ${options.version ?? '13'}`,
  ];
  const key = options.key === undefined ? randomBytes(16).toString('base64') : options.key;
  if (key !== null) lines.push(`Sec-WebSocket-Key: ${key}`);
  if (options.protocol !== null) lines.push(`Sec-WebSocket-Protocol: ${options.protocol}`);
  lines.push(...(options.extraHeaders ?? []));
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

export interface ServerFrame {
  readonly fin: boolean;
  readonly opcode: number;
  readonly payload: Buffer;
}

/** One raw TCP connection: the HTTP answer to the request it opened with, then the server's frames. */
export class RawConnection {
  status = 0;
  head = '';
  readonly frames: ServerFrame[] = [];
  closeCode: number | undefined;
  closeReason = '';
  /** The close frame carried a code (an empty one does not). */
  closeCodeSent = false;
  /** The socket is closed (by either side). */
  ended = false;
  /** It was reset (ECONNRESET/EPIPE) rather than closed. */
  reset = false;
  private buffer = Buffer.alloc(0);
  private readonly listeners = new Set<() => void>();

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('error', () => {
      this.reset = true;
    });
    socket.on('close', () => {
      this.ended = true;
      this.changed();
    });
  }

  /** Connects and writes `opening` (an upgrade request, or anything else); resolves once connected. */
  static open(port: number, opening: Buffer): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      const connection = new RawConnection(socket);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.write(opening);
        resolve(connection);
      });
      socket.once('error', reject);
    });
  }

  /** Resolves true once `check()` holds, false after `ms`. */
  waitFor(check: () => boolean, ms: number): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const listener = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        resolve(check());
      }, ms);
      this.listeners.add(listener);
    });
  }

  get upgraded(): boolean {
    return this.status === 101;
  }

  /** The server's text messages, parsed as JSON where they are JSON. */
  get messages(): unknown[] {
    return this.frames
      .filter((f) => f.opcode === OPCODE.text)
      .map((f) => {
        try {
          return JSON.parse(f.payload.toString('utf8')) as unknown;
        } catch {
          return f.payload.toString('utf8');
        }
      });
  }

  write(bytes: Buffer): void {
    if (!this.ended && !this.socket.destroyed) this.socket.write(bytes, () => undefined);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private received(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.status === 0) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buffer.length > 65536) this.status = -1;
        return;
      }
      this.head = this.buffer.subarray(0, end).toString('latin1');
      this.status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(this.head)?.[1] ?? -1);
      this.buffer = this.buffer.subarray(end + 4);
    }
    if (this.status === 101) this.parseFrames();
    this.changed();
  }

  private parseFrames(): void {
    for (;;) {
      if (this.buffer.length < 2) return;
      const b0 = this.buffer[0] as number;
      const b1 = this.buffer[1] as number;
      let length = b1 & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (b1 & 0x80) offset += 4;
      if (this.buffer.length < offset + length) return;
      const frame = { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload: this.buffer.subarray(offset, offset + length) };
      this.buffer = this.buffer.subarray(offset + length);
      this.frames.push(frame);
      if (frame.opcode === OPCODE.close && this.closeCode === undefined) {
        // An empty close frame carries no code; 1005 is the RFC's name for that, never sent on the wire.
        this.closeCode = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
        this.closeCodeSent = frame.payload.length >= 2;
        this.closeReason = frame.payload.subarray(2).toString('utf8');
      }
    }
  }
}
