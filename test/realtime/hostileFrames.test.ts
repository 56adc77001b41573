/**
 * Malformed WebSocket frames close the connection with the RFC 6455 code
 * `ws` uses, never the process: before connection_init, after the ack, and
 * on a socket refused for its subprotocol (where the bad frame arrives with
 * the handshake, before or while the server closes). The server is in this
 * process, so an unhandled 'error' event would fail the run; /healthz must
 * answer after every case.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../support/captureLogs.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { clientFrame, initialise, openRaw } from './support/rawWebSocket.ts';

const textFrame = (text: string) => clientFrame(0x1, Buffer.from(text));

/** Each hostile frame and the close code ws answers it with. */
const HOSTILE: ReadonlyArray<{ name: string; frame: Buffer; code: number }> = [
  // 10 bytes: a 64-bit length over 2^53 − 1 (WS_ERR_UNSUPPORTED_MESSAGE_LENGTH).
  { name: 'a length over 2^53', frame: Buffer.from([0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), code: 1009 },
  { name: 'a length over maxPayload', frame: Buffer.from([0x81, 0xff, 0, 0, 0, 0, 0, 0x40, 0, 0]), code: 1009 },
  { name: 'invalid UTF-8 in a text frame', frame: clientFrame(0x1, Buffer.from([0xc3, 0x28, 0xff])), code: 1007 },
  { name: 'an unmasked client frame', frame: clientFrame(0x1, Buffer.from('{"type":"ping"}'), { masked: false }), code: 1002 },
  { name: 'the RSV1 bit set', frame: clientFrame(0x1, Buffer.from('{}'), { firstByte: 0xc1 }), code: 1002 },
  { name: 'the RSV3 bit set', frame: clientFrame(0x1, Buffer.from('{}'), { firstByte: 0x91 }), code: 1002 },
  { name: 'a reserved opcode', frame: clientFrame(0x3, Buffer.from('x')), code: 1002 },
  { name: 'a close frame with code 999', frame: clientFrame(0x8, Buffer.from([0x03, 0xe7])), code: 1002 },
];

describe('hostile WebSocket frames', () => {
  let server: TestServer;
  let port: number;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server.dispose();
  });

  const stillServing = async () => {
    const health = await server.health();
    expect(health.position).toBeDefined();
  };

  for (const { name, frame, code } of HOSTILE) {
    it(`closes a socket that sends ${name} before connection_init with ${code}, and keeps serving`, async () => {
      const ws = await openRaw(port);
      ws.write(frame);
      expect((await ws.ended).code).toBe(code);
      await stillServing();
    });

    it(`closes a socket that sends ${name} after the ack with ${code}, and keeps serving`, async () => {
      const ws = await openRaw(port);
      await initialise(ws);
      ws.write(frame);
      expect((await ws.ended).code).toBe(code);
      await stillServing();
    });

    it(`ends a socket with a wrong subprotocol that sends ${name} with its handshake, and keeps serving`, async () => {
      // The 4406 close is already on its way when the frame is read: it is the code the client gets.
      const ws = await openRaw(port, { protocols: ['chat'], withHandshake: frame });
      expect((await ws.ended).code).toBe(4406);
      await stillServing();
    });
  }

  it('keeps serving after a frame split across writes goes bad halfway', async () => {
    const ws = await openRaw(port);
    await initialise(ws);
    const frame = textFrame('{"type":"ping"}');
    ws.write(frame.subarray(0, 3));
    ws.write(Buffer.from([0xff, 0xff, 0xff]));
    ws.socket.end();
    await ws.ended;
    await stillServing();
  });

  it('answers a request HTTP cannot parse with 400 and closes it, without logging a stack trace', async () => {
    const logs = captureLogs('warn');
    try {
      const answer = await new Promise<string>((resolve) => {
        const socket = connect({ port, host: '127.0.0.1' });
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        socket.on('close', () => resolve(text));
        socket.on('error', () => {});
        socket.write('GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n');
      });
      expect(answer.startsWith('HTTP/1.1 400')).toBe(true);
    } finally {
      logs.stop();
    }
    expect(logs.lines).toEqual([]);
    await stillServing();
  });

  it('still runs a well-formed session afterwards', async () => {
    const ws = await openRaw(port);
    await initialise(ws);
    ws.sendJson({ type: 'ping' });
    await ws.next((m) => m.type === 'pong');
    ws.write(clientFrame(0x8, Buffer.from([0x03, 0xe8])));
    expect((await ws.ended).code).toBe(1000);
  });
});
