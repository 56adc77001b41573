/**
 * WebSocket fuzz cases: one connection each, opened with a hand-made upgrade
 * (usually with the graphql-transport-ws subprotocol, sometimes a wrong or
 * absent one), optionally past `connection_init`, then one hostile item:
 * random bytes, a truncated frame, a lying length header (126/127 forms up to
 * 2^64-1), bad UTF-8, an unmasked frame, RSV bits, a reserved opcode, a
 * fragmented or oversized control frame, a close frame with a bad code or
 * reason, or graphql-transport-ws messages with mutated JSON, interleaved
 * with valid ones. Everything is drawn from the case's own generator.
 */
import { closePayload, encodeFrame, type FrameFields, OPCODE, upgradeRequest } from './wsWire.ts';
import { createRandom, type Random } from './random.ts';
import { mutateText } from './textMutations.ts';

export interface FrameStep {
  /** Human-readable, for the reproduction. */
  readonly what: string;
  readonly bytes: Buffer;
  /** Wait for connection_ack (or a close) before the next step. */
  readonly awaitAck?: boolean;
}

export interface FrameCase {
  readonly index: number;
  readonly kind: string;
  readonly opening: Buffer;
  readonly openingWhat: string;
  readonly steps: readonly FrameStep[];
  /** The bytes end inside a frame: the server waits for more, so a ping probe would be read as payload. */
  readonly unfinished: boolean;
  /** Give the gateway this long to answer operations before closing. */
  readonly settleMs: number;
}

/** The server's maxPayload (src/server.ts). */
const MAX_PAYLOAD = 1024 * 1024;

type Part = { steps: FrameStep[]; unfinished?: boolean; settleMs?: number };

const frame = (random: Random, fields: FrameFields): Buffer => encodeFrame({ mask: random.bytes(4), ...fields });
const text = (random: Random, message: string, what = message): FrameStep => ({
  what: `text ${what.length > 160 ? `${what.slice(0, 160)}… (${Buffer.byteLength(message)} bytes)` : what}`,
  bytes: frame(random, { opcode: OPCODE.text, payload: Buffer.from(message) }),
});
const hex = (bytes: Buffer) => (bytes.length > 48 ? `${bytes.subarray(0, 48).toString('hex')}…(${bytes.length} bytes)` : bytes.toString('hex'));

const INIT = '{"type":"connection_init"}';
const VALID_MESSAGES = [
  INIT,
  '{"type":"ping"}',
  '{"type":"pong"}',
  '{"id":"q1","type":"subscribe","payload":{"query":"{ __typename }"}}',
  '{"id":"q2","type":"subscribe","payload":{"query":"{ threads(first: 5) { edges { node { id title } } } }"}}',
  '{"id":"s1","type":"subscribe","payload":{"query":"subscription { events { position type } }"}}',
  '{"id":"s2","type":"subscribe","payload":{"query":"subscription { events(after: \\"0\\") { position type } }"}}',
  '{"id":"s1","type":"complete"}',
];

const BAD_UTF8 = [[0x80], [0xbf], [0xc0, 0xaf], [0xc1, 0xbf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xff], [0xfe], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xf8, 0x88, 0x80, 0x80, 0x80]];
const CLOSE_CODES = [0, 1, 999, 1000, 1001, 1002, 1004, 1005, 1006, 1007, 1012, 1013, 1014, 1015, 1016, 2999, 3000, 4000, 4400, 4999, 5000, 65535];
const DECLARED_LENGTHS = [0n, 125n, 126n, 65535n, 65536n, BigInt(MAX_PAYLOAD), BigInt(MAX_PAYLOAD) + 1n, 2n ** 31n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n];
const RESERVED_OPCODES = [3, 4, 5, 6, 7, 11, 12, 13, 14, 15];

function badUtf8(random: Random): Buffer {
  const before = Buffer.from(random.pick(['', '{"type":"', 'hello ', '{"id":"1","type":"subscribe","payload":{"query":"{ __typename }", "x":"']));
  return Buffer.concat([before, Buffer.from(random.pick(BAD_UTF8)), Buffer.from(random.pick(['', '"}', ' world', 'é😀']))]);
}

/** A graphql-transport-ws message with something wrong in it. */
function badMessage(random: Random): string {
  const bigId = () => 'i'.repeat(random.pick([129, 1000, 10_000, 200_000, 900_000]));
  switch (random.int(0, 9)) {
    case 0:
      return JSON.stringify({ type: 'connection_init', payload: random.pick<unknown>(['x', 42, [], null, { authorization: 42 }, { authorization: 'Bearer junk' }, { authorization: 'x'.repeat(random.size(100_000)) }, { headers: random.pick<unknown>(['x', null, [], { Authorization: 42 }, { authorization: ['Bearer junk'] }, { Authorization: `Bearer ${'a'.repeat(random.size(10_000))}` }]) }, nest(random.int(1, 3000))]) });
    case 1:
      return JSON.stringify({
        id: random.pick<unknown>(['', bigId(), 42, null, {}, [], true, '\ud800', '\u0000', '../..', '__proto__']),
        type: 'subscribe',
        payload: { query: '{ __typename }' },
      });
    case 2:
      return JSON.stringify({
        id: 'p1',
        type: 'subscribe',
        payload: random.pick<unknown>([undefined, null, 'str', 42, [], { query: 42 }, { query: '' }, { query: '{ __typename }', variables: 'x' }, { query: '{ __typename }', variables: [] }, { query: '{ __typename }', variables: nest(random.int(1, 3000)) }, { query: '{ __typename }', extensions: 'x' }, { query: '{ __typename }', operationName: 42 }, { query: `{ ${'__typename '.repeat(random.size(50_000))}}` }, { query: `${'{ a '.repeat(3000)}${'}'.repeat(3000)}` }]),
      });
    case 3:
      return JSON.stringify({ type: random.pick<unknown>(['start', 'stop', 'connection_terminate', 'data', 'ka', '', 42, null, 'CONNECTION_INIT', 'next', 'error', 'connection_ack']), id: '1', payload: {} });
    case 4:
      return random.pick(['', '{', 'null', '[]', '1', '"str"', '{"type":', '{"type":"subscribe"}', 'true', '\u0000', '{"type":"ping","payload":"x"}', '{"type":"pong","payload":[1]}', '{"type":"ping","type":"subscribe"}', '{"type":"complete"}', `{"type":"complete","id":"${bigId()}"}`, '{"type":"subscribe","id":"\\ud800","payload":{"query":"{ __typename }"}}', '{"type":"subscribe","id":"1","payload":{"query":"{ __typename }","variables":{"a":1e999}}}']);
    case 5:
      return mutateText(random, random.pick(VALID_MESSAGES));
    case 6:
      return JSON.stringify({ id: 'm1', type: 'subscribe', payload: { query: random.pick(['mutation { register(input: { username: "NOT-VALID!", password: "correct horse", displayName: "x" }) { token } }', 'mutation { createThread(input: { title: "anonymous" }) { position } }', 'mutation { postMessage(input: { threadId: "00000000-0000-0000-0000-000000000000", body: "anonymous" }) { position } }', 'mutation { logout }', 'mutation { login(input: { username: "nobody_here", password: "wrong password" }) { token } }']) } });
    case 7:
      return JSON.stringify({ id: 'd', type: 'subscribe', payload: { query: `subscription { events(after: ${random.pick(['"-1"', '"abc"', '"99999999999999999999999"', '1', 'null', '"0"'])}) { position } }` } });
    case 8:
      return JSON.stringify({ id: 'x'.repeat(random.int(1, 300)), type: random.pick(['subscribe', 'complete']), payload: { query: 'subscription { events { position } }' } });
    default:
      return JSON.stringify({ type: 'connection_init', payload: { [random.pick(['authorization', 'Authorization', '__proto__', 'x'])]: random.pick(['Bearer ', 'Bearer \u0000', `Bearer ${'a'.repeat(random.size(10_000))}`, '']) } });
  }
}

function nest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const parts: Array<[weight: number, kind: string, make: (random: Random) => Part]> = [
  [5, 'random bytes', (r) => {
    const bytes = r.bytes(r.size(400));
    return { steps: [{ what: `bytes ${hex(bytes)}`, bytes }], unfinished: true };
  }],
  [8, 'truncated frame', (r) => {
    const whole = frame(r, { opcode: r.pick([OPCODE.text, OPCODE.binary, OPCODE.ping, OPCODE.close]), payload: Buffer.from(r.pick(VALID_MESSAGES).repeat(r.size(3000))) });
    const cut = whole.subarray(0, r.int(1, whole.length - 1));
    return { steps: [{ what: `first ${cut.length} of ${whole.length} bytes of a frame: ${hex(cut)}`, bytes: cut }], unfinished: true };
  }],
  [10, 'oversized length header', (r) => {
    const declaredLength = r.pick(DECLARED_LENGTHS);
    const lengthForm = r.pick([16, 64] as const);
    const payload = r.bytes(r.int(0, 64));
    const opcode = r.pick([OPCODE.text, OPCODE.binary, OPCODE.continuation, OPCODE.ping]);
    const bytes = frame(r, { opcode, declaredLength, lengthForm, payload });
    const fits = lengthForm === 16 ? declaredLength < 65536n : true;
    const sent = lengthForm === 16 ? declaredLength & 0xffffn : declaredLength;
    return { steps: [{ what: `opcode ${opcode} declaring ${declaredLength} bytes in the ${lengthForm}-bit form${fits ? '' : ` (wraps to ${sent})`}, ${payload.length} sent: ${hex(bytes)}`, bytes }], unfinished: sent > BigInt(payload.length) };
  }],
  [10, 'bad UTF-8', (r) => {
    const payload = badUtf8(r);
    if (r.chance(0.3)) {
      const reason = badUtf8(r).subarray(0, 120);
      return { steps: [{ what: `close 1000 with reason ${reason.toString('hex')}`, bytes: frame(r, { opcode: OPCODE.close, payload: closePayload(1000, reason) }) }] };
    }
    if (r.chance(0.3)) {
      const split = r.int(1, payload.length - 1);
      return {
        steps: [
          { what: `text fragment ${payload.subarray(0, split).toString('hex')}`, bytes: frame(r, { opcode: OPCODE.text, fin: false, payload: payload.subarray(0, split) }) },
          { what: `continuation ${payload.subarray(split).toString('hex')}`, bytes: frame(r, { opcode: OPCODE.continuation, payload: payload.subarray(split) }) },
        ],
      };
    }
    return { steps: [{ what: `text with payload ${payload.toString('hex')}`, bytes: frame(r, { opcode: OPCODE.text, payload }) }] };
  }],
  [6, 'unmasked frame', (r) => {
    const opcode = r.pick([OPCODE.text, OPCODE.ping, OPCODE.close, OPCODE.binary]);
    const payload = opcode === OPCODE.close ? closePayload(1000) : Buffer.from(r.pick(VALID_MESSAGES));
    const bytes = frame(r, { opcode, payload, mask: null });
    return { steps: [{ what: `unmasked opcode ${opcode}: ${hex(bytes)}`, bytes }] };
  }],
  [6, 'RSV bits', (r) => {
    const rsv = r.int(1, 7);
    const opcode = r.pick([OPCODE.text, OPCODE.binary, OPCODE.ping, OPCODE.continuation]);
    const bytes = frame(r, { opcode, rsv, payload: Buffer.from(r.pick(VALID_MESSAGES)) });
    return { steps: [{ what: `opcode ${opcode} with RSV ${rsv.toString(2).padStart(3, '0')}: ${hex(bytes)}`, bytes }] };
  }],
  [6, 'reserved opcode', (r) => {
    const opcode = r.pick(RESERVED_OPCODES);
    const bytes = frame(r, { opcode, fin: r.chance(0.8), payload: r.bytes(r.int(0, 30)) });
    return { steps: [{ what: `opcode ${opcode}: ${hex(bytes)}`, bytes }] };
  }],
  [6, 'bad control frame', (r) => {
    const opcode = r.pick([OPCODE.ping, OPCODE.pong, OPCODE.close]);
    const tooLong = r.chance(0.5);
    const payload = opcode === OPCODE.close ? closePayload(1000, Buffer.alloc(tooLong ? r.int(124, 300) : 3, 0x61)) : Buffer.alloc(tooLong ? r.int(126, 300) : 4, 0x61);
    const bytes = frame(r, { opcode, fin: tooLong ? r.chance(0.5) : false, payload });
    return { steps: [{ what: `control opcode ${opcode}, fin ${bytes[0]! >> 7}, ${payload.length}-byte payload`, bytes }] };
  }],
  [6, 'bad fragmentation', (r) => {
    const message = Buffer.from(r.pick(VALID_MESSAGES));
    const half = Math.max(1, message.length >> 1);
    switch (r.int(0, 4)) {
      case 0:
        return { steps: [{ what: 'continuation with no message started', bytes: frame(r, { opcode: OPCODE.continuation, payload: message }) }] };
      case 1:
        return {
          steps: [
            { what: 'text fragment (fin 0)', bytes: frame(r, { opcode: OPCODE.text, fin: false, payload: message.subarray(0, half) }) },
            { what: 'a new text frame instead of a continuation', bytes: frame(r, { opcode: OPCODE.text, payload: message }) },
          ],
        };
      case 2: {
        const n = r.size(3000);
        const steps: FrameStep[] = [{ what: `text fragment then ${n} one-byte continuations`, bytes: frame(r, { opcode: OPCODE.text, fin: false, payload: Buffer.from('{') }) }];
        const chunks: Buffer[] = [];
        for (let i = 0; i < n; i++) chunks.push(frame(r, { opcode: OPCODE.continuation, fin: i === n - 1, payload: Buffer.from(' ') }));
        steps.push({ what: `${n} continuations`, bytes: Buffer.concat(chunks) });
        return { steps };
      }
      case 3: {
        // Fragments that add up to more than maxPayload.
        const chunk = Buffer.alloc(200_000, 0x20);
        const count = 6;
        const chunks = Array.from({ length: count }, (_, i) => frame(r, { opcode: i === 0 ? OPCODE.text : OPCODE.continuation, fin: i === count - 1, payload: chunk }));
        return { steps: [{ what: `${count} fragments of ${chunk.length} bytes (over the 1 MiB message limit)`, bytes: Buffer.concat(chunks) }] };
      }
      default:
        return {
          steps: [
            { what: 'text fragment (fin 0)', bytes: frame(r, { opcode: OPCODE.text, fin: false, payload: message.subarray(0, half) }) },
            { what: 'ping between fragments', bytes: frame(r, { opcode: OPCODE.ping, payload: Buffer.from('mid') }) },
            { what: 'last continuation', bytes: frame(r, { opcode: OPCODE.continuation, payload: message.subarray(half) }) },
          ],
          settleMs: 50,
        };
    }
  }],
  [10, 'bad close frame', (r) => {
    const code = r.pick(CLOSE_CODES);
    const reason = r.pick([Buffer.alloc(0), Buffer.from('bye'), Buffer.alloc(123, 0x62), Buffer.from([0xff, 0xfe]), Buffer.from('\u0000')]);
    const payload = r.chance(0.15) ? Buffer.from([r.int(0, 255)]) : closePayload(code, reason);
    return { steps: [{ what: `close payload ${payload.subarray(0, 20).toString('hex')}${payload.length > 20 ? `…(${payload.length} bytes)` : ''}`, bytes: frame(r, { opcode: OPCODE.close, payload }) }] };
  }],
  [22, 'graphql-transport-ws messages', (r) => {
    const steps: FrameStep[] = [];
    const n = r.int(1, 4);
    for (let i = 0; i < n; i++) {
      if (r.chance(0.4)) steps.push(text(r, r.pick(VALID_MESSAGES)));
      else {
        const message = badMessage(r);
        steps.push(text(r, message));
      }
    }
    if (r.chance(0.1)) {
      // Subscribe, complete, subscribe with one id, over and over: bookkeeping must stay exact.
      const cycles = r.size(400);
      const chunks: Buffer[] = [];
      for (let i = 0; i < cycles; i++) {
        chunks.push(frame(r, { opcode: OPCODE.text, payload: Buffer.from('{"id":"same","type":"subscribe","payload":{"query":"subscription { events { position } }"}}') }));
        if (r.chance(0.7)) chunks.push(frame(r, { opcode: OPCODE.text, payload: Buffer.from('{"id":"same","type":"complete"}') }));
      }
      steps.push({ what: `${cycles} × subscribe/complete with id "same"`, bytes: Buffer.concat(chunks) });
    }
    if (r.chance(0.05)) {
      const count = r.int(190, 260);
      const chunks = Array.from({ length: count }, (_, i) => frame(r, { opcode: OPCODE.text, payload: Buffer.from(`{"id":"live${i}","type":"subscribe","payload":{"query":"subscription { events { position } }"}}`) }));
      steps.push({ what: `${count} live subscriptions (cap 200)`, bytes: Buffer.concat(chunks) });
    }
    return { steps, settleMs: 120 };
  }],
  [6, 'interleaved', (r) => {
    const [, , make] = r.pick(parts.filter(([, kind]) => kind !== 'interleaved' && kind !== 'random bytes' && kind !== 'truncated frame'));
    const inner = make(r);
    const before = Array.from({ length: r.int(0, 3) }, () => text(r, r.pick(VALID_MESSAGES)));
    const after = inner.unfinished ? [] : Array.from({ length: r.int(0, 3) }, () => text(r, r.pick(VALID_MESSAGES)));
    return { steps: [...before, ...inner.steps, ...after], unfinished: inner.unfinished ?? false, settleMs: 100 };
  }],
  [1, 'message over maxPayload', (r) => {
    const size = MAX_PAYLOAD + r.int(1, 1000);
    return { steps: [{ what: `one text frame of ${size} bytes`, bytes: frame(r, { opcode: OPCODE.text, payload: Buffer.alloc(size, 0x20) }) }] };
  }],
];

const TOTAL_WEIGHT = parts.reduce((sum, [w]) => sum + w, 0);

function pickPart(random: Random): [string, (random: Random) => Part] {
  let roll = random.next() * TOTAL_WEIGHT;
  for (const [weight, kind, make] of parts) {
    roll -= weight;
    if (roll < 0) return [kind, make];
  }
  const last = parts[parts.length - 1] as (typeof parts)[number];
  return [last[1], last[2]];
}

const PROTOCOLS: Array<[string | null, number]> = [
  ['graphql-transport-ws', 80],
  [null, 8],
  ['graphql-ws', 4],
  ['foo', 2],
  ['graphql-transport-ws, graphql-ws', 3],
  ['graphql-transport-ws\u0000', 1],
  [',,,', 1],
  ['x'.repeat(5000), 1],
];

function pickProtocol(random: Random): string | null {
  let roll = random.int(0, 99);
  for (const [protocol, weight] of PROTOCOLS) {
    roll -= weight;
    if (roll < 0) return protocol;
  }
  return 'graphql-transport-ws';
}

/** Openings that are not a valid upgrade: the HTTP side must refuse them with a 4xx and stay up. */
function badOpening(random: Random): { bytes: Buffer; what: string } {
  switch (random.int(0, 8)) {
    case 0:
      return { bytes: upgradeRequest({ protocol: 'graphql-transport-ws', version: random.pick(['8', '', '99999999999', 'x']) }), what: 'upgrade with a bad Sec-WebSocket-Version' };
    case 1:
      return { bytes: upgradeRequest({ protocol: 'graphql-transport-ws', key: random.pick([null, '', 'short', 'x'.repeat(500)]) }), what: 'upgrade with a missing or bad Sec-WebSocket-Key' };
    case 2:
      return { bytes: upgradeRequest({ protocol: 'graphql-transport-ws', path: random.pick(['/', '/graphql/', '/graphql?x=1', '/%00', '/graphql#', `/graphql?${'a'.repeat(9000)}`]) }), what: 'upgrade on another path' };
    case 3:
      return { bytes: upgradeRequest({ protocol: 'graphql-transport-ws', method: random.pick(['POST', 'PUT', 'HEAD']) }), what: 'upgrade with another method' };
    case 4:
      return { bytes: upgradeRequest({ protocol: 'graphql-transport-ws', extraHeaders: [`X-Big: ${'a'.repeat(random.pick([1000, 20_000, 70_000]))}`] }), what: 'upgrade with a huge header' };
    case 5:
      return { bytes: upgradeRequest({ protocol: 'graphql-transport-ws', extraHeaders: ['Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=99; server_no_context_takeover=1', 'Origin: http://evil.example'] }), what: 'upgrade with bad extension parameters and a foreign Origin' };
    case 6: {
      const bytes = random.bytes(random.size(2000));
      return { bytes, what: `raw bytes instead of HTTP: ${hex(bytes)}` };
    }
    case 7:
      return { bytes: Buffer.from(random.pick(['GET /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', 'GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'POST /graphql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'GET /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n', '\r\n\r\n\r\n'])), what: 'a malformed HTTP request' };
    default:
      return { bytes: upgradeRequest({ protocol: 'graphql-transport-ws', extraHeaders: ['Upgrade: h2c'] }), what: 'upgrade with two Upgrade headers' };
  }
}

export function frameCase(seed: number, index: number): FrameCase {
  const random = createRandom(seed, 'ws-frames', index);
  if (random.chance(0.05)) {
    const { bytes, what } = badOpening(random);
    const shown = JSON.stringify(bytes.subarray(0, 200).toString('latin1'));
    return { index, kind: 'bad opening', opening: bytes, openingWhat: `${what}: ${shown}${bytes.length > 200 ? `… (${bytes.length} bytes)` : ''}`, steps: [], unfinished: true, settleMs: 0 };
  }
  const protocol = pickProtocol(random);
  const [kind, make] = pickPart(random);
  const part = make(random);
  const prelude: FrameStep[] = [];
  if (kind !== 'graphql-transport-ws messages' || random.chance(0.6)) {
    const roll = random.next();
    if (roll < 0.5) prelude.push({ ...text(random, INIT), awaitAck: true });
    else if (roll < 0.65) prelude.push(text(random, INIT));
  }
  return {
    index,
    kind,
    opening: upgradeRequest({ protocol }),
    openingWhat: `upgrade GET /graphql with ${protocol === null ? 'no Sec-WebSocket-Protocol' : `Sec-WebSocket-Protocol: ${protocol.length > 40 ? `${protocol.slice(0, 40)}…` : JSON.stringify(protocol)}`}`,
    steps: [...prelude, ...part.steps],
    unfinished: part.unfinished ?? false,
    settleMs: part.settleMs ?? 0,
  };
}

export function frameCaseRepro(c: FrameCase): string {
  return [c.openingWhat, ...c.steps.map((s) => s.what)].join('; then ');
}
