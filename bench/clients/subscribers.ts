/**
 * Subscriber load: one process holding many subscriber connections of one
 * protocol (graphql-ws to Thrds or the stock reference, raw ws, socket.io),
 * recording per phase the delivery latency of every probe message (post
 * start time carried in the body), plus lost, duplicated and out-of-order
 * deliveries and this process's own CPU share (to tell when it was the
 * bottleneck). Driven over IPC by the fan-out bench.
 */
import { WebSocket } from 'ws';
import { io, type Socket } from 'socket.io-client';
import { failToParent, serveParent, sendToParent } from '../support/childRuntime.ts';
import type { IpcMessage } from '../support/childProcesses.ts';
import { parseProbeBody, type ThreadEventPayload } from '../support/broadcastFrame.ts';
import { THREAD_EVENTS } from '../support/graphqlHttp.ts';
import { Histogram, nowMs } from '../support/histogram.ts';

export type SubscriberProtocol = 'graphql-ws' | 'ws' | 'socket.io';

export interface ConnectRequest extends IpcMessage {
  readonly type: 'connect';
  readonly protocol: SubscriberProtocol;
  /** ws://… for graphql-ws and ws, http://… for socket.io */
  readonly url: string;
  readonly threadId: string;
  readonly count: number;
  readonly concurrency: number;
}

interface PhaseStats {
  readonly expected: number;
  readonly histogram: Histogram;
  readonly seen: Uint8Array;
  /** Last log position each subscriber received in this phase: positions must only grow. */
  readonly lastPosition: Float64Array;
  received: number;
  duplicates: number;
  outOfOrder: number;
  startCpu: NodeJS.CpuUsage;
  startWall: number;
  lastReceiptWall: number;
  cpuAtLastReceipt: NodeJS.CpuUsage;
  /** Per probe, when asked for (the write-load bench's per-phase breakdown): its position and first and last receipt. */
  readonly probes: ProbeReceipts | undefined;
}

/** Per probe sequence number: log position, post start, first and last receipt in this process (ms, NaN until seen). */
export interface ProbeReceipts {
  readonly position: number[];
  readonly postedAt: number[];
  readonly firstAt: number[];
  readonly lastAt: number[];
}

export interface PhaseReport extends IpcMessage {
  readonly type: 'report';
  readonly histogram: ReturnType<Histogram['toJSON']>;
  readonly received: number;
  readonly unique: number;
  readonly expectedTotal: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly cpuShare: number;
  readonly closed: number;
  readonly closeCodes: Readonly<Record<string, number>>;
  readonly errors: readonly string[];
  readonly probes?: ProbeReceipts;
}

const phases = new Map<number, PhaseStats>();
const everReceived = new Set<number>();
const closeCodes: Record<string, number> = {};
let closedCount = 0;
let subscriberCount = 0;
const errors: string[] = [];
const sockets: { close(): void }[] = [];

function note(error: string): void {
  if (errors.length < 20) errors.push(error);
}

function onDelivery(subscriber: number, position: string, body: string, receivedAt: number): void {
  const probe = parseProbeBody(body);
  if (!probe) return;
  everReceived.add(subscriber);
  const phase = phases.get(probe.p);
  if (!phase) return;
  if (probe.s < 0 || probe.s >= phase.expected) return;
  phase.received++;
  phase.lastReceiptWall = performance.now();
  phase.cpuAtLastReceipt = process.cpuUsage();
  const slot = subscriber * phase.expected + probe.s;
  if (phase.seen[slot]) {
    phase.duplicates++;
    return;
  }
  phase.seen[slot] = 1;
  const at = Number(position);
  if (!(at > (phase.lastPosition[subscriber] ?? -1))) phase.outOfOrder++;
  phase.lastPosition[subscriber] = at;
  phase.histogram.record(receivedAt - probe.t);
  const probes = phase.probes;
  if (probes) {
    probes.position[probe.s] = at;
    probes.postedAt[probe.s] = probe.t;
    if (!(receivedAt >= (probes.firstAt[probe.s] ?? Number.NaN))) probes.firstAt[probe.s] = receivedAt;
    if (!(receivedAt <= (probes.lastAt[probe.s] ?? Number.NaN))) probes.lastAt[probe.s] = receivedAt;
  }
}

function onClose(code: number): void {
  closedCount++;
  closeCodes[code] = (closeCodes[code] ?? 0) + 1;
}

function connectGraphqlWs(index: number, url: string, threadId: string, raw: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = raw ? new WebSocket(url, { perMessageDeflate: false }) : new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    let settled = false;
    const done = (error?: Error) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve();
    };
    sockets.push(ws);
    ws.on('open', () => {
      if (raw) done();
      else ws.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    });
    ws.on('message', (data: Buffer) => {
      const receivedAt = nowMs();
      let frame: { type?: string; payload?: unknown };
      try {
        frame = JSON.parse(data.toString('utf8')) as typeof frame;
      } catch {
        note(`unparsable frame: ${data.toString('utf8').slice(0, 100)}`);
        return;
      }
      switch (frame.type) {
        case 'next': {
          const payload = frame.payload as { data?: ThreadEventPayload; errors?: { message: string }[] };
          const event = payload.data?.threadEvents;
          if (event?.message) onDelivery(index, event.position, event.message.body, receivedAt);
          else if (payload.errors) note(`next with errors: ${JSON.stringify(payload.errors).slice(0, 300)}`);
          break;
        }
        case 'connection_ack':
          ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: THREAD_EVENTS, variables: { t: threadId } } }));
          done();
          break;
        case 'ping':
          ws.send(JSON.stringify({ type: 'pong' }));
          break;
        case 'error':
          note(`subscription error: ${JSON.stringify(frame.payload).slice(0, 300)}`);
          break;
        case 'complete':
          note('subscription completed by the server');
          break;
        default:
      }
    });
    ws.on('error', (error) => {
      note(String(error));
      done(error);
    });
    ws.on('close', (code) => {
      onClose(code);
      done(new Error(`closed ${code} before subscribing`));
    });
  });
}

function connectSocketIo(index: number, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000 });
    sockets.push({ close: () => socket.close() });
    socket.on('next', (message: { data: ThreadEventPayload }) => {
      const event = message.data.threadEvents;
      onDelivery(index, event.position, event.message.body, nowMs());
    });
    socket.on('connect', () => {
      socket.emit('join', 'thread', () => resolve());
    });
    socket.on('connect_error', (error) => {
      note(String(error));
      reject(error);
    });
    socket.on('disconnect', (reason) => {
      onClose(reason === 'io client disconnect' ? 1000 : 1006);
    });
  });
}

async function connectAll(request: ConnectRequest): Promise<IpcMessage> {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const wsUrl = request.url;
  const worker = async () => {
    while (next < request.count) {
      const index = subscriberCount + next++;
      try {
        if (request.protocol === 'socket.io') await connectSocketIo(index, wsUrl);
        else await connectGraphqlWs(index, wsUrl, request.threadId, request.protocol === 'ws');
      } catch (error) {
        failed++;
        note(`connect: ${String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(request.concurrency, request.count) }, worker));
  subscriberCount += request.count;
  return { type: 'connected', count: request.count - failed, failed, ms: performance.now() - started, errors: errors.slice(0, 5) };
}

serveParent({
  connect: (message) => connectAll(message as ConnectRequest),
  /** Arms a phase: from now on probes of phase `phase` are counted. */
  phase: (message) => {
    const expected = Number(message.expected);
    phases.set(Number(message.phase), {
      expected,
      histogram: new Histogram(),
      seen: new Uint8Array(subscriberCount * expected),
      lastPosition: new Float64Array(subscriberCount).fill(-1),
      received: 0,
      duplicates: 0,
      outOfOrder: 0,
      startCpu: process.cpuUsage(),
      startWall: performance.now(),
      lastReceiptWall: performance.now(),
      cpuAtLastReceipt: process.cpuUsage(),
      probes: message.perProbe
        ? { position: new Array<number>(expected).fill(Number.NaN), postedAt: new Array<number>(expected).fill(Number.NaN), firstAt: new Array<number>(expected).fill(Number.NaN), lastAt: new Array<number>(expected).fill(Number.NaN) }
        : undefined,
    });
    return { type: 'armed' };
  },
  progress: (message) => {
    const phase = phases.get(Number(message.phase));
    return { type: 'progress', received: phase?.received ?? 0, ready: everReceived.size, closed: closedCount };
  },
  report: (message): PhaseReport => {
    const phase = phases.get(Number(message.phase));
    if (!phase) throw new Error(`no phase ${String(message.phase)}`);
    let unique = 0;
    for (const byte of phase.seen) unique += byte;
    const used = {
      user: phase.cpuAtLastReceipt.user - phase.startCpu.user,
      system: phase.cpuAtLastReceipt.system - phase.startCpu.system,
    };
    const cpuMs = (used.user + used.system) / 1000;
    const wallMs = phase.lastReceiptWall - phase.startWall;
    return {
      type: 'report',
      histogram: phase.histogram.toJSON(),
      received: phase.received,
      unique,
      expectedTotal: subscriberCount * phase.expected,
      duplicates: phase.duplicates,
      outOfOrder: phase.outOfOrder,
      cpuMs,
      wallMs,
      cpuShare: wallMs > 0 ? cpuMs / wallMs : 0,
      closed: closedCount,
      closeCodes,
      errors,
      ...(phase.probes ? { probes: phase.probes } : {}),
    };
  },
  stop: () => {
    for (const socket of sockets) socket.close();
    setTimeout(() => process.exit(0), 200); // a grace period for the close frames to leave before the process does
  },
});

process.on('uncaughtException', failToParent);
sendToParent({ type: 'started' });
