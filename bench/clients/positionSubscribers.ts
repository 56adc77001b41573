/**
 * Subscriber load for the viewer-scoped fan-out bench: one process holding
 * many graphql-ws connections, each signed in with its own token (or all
 * with one), each with one subscription whose value carries a log
 * `position` (`threadEvents`, `myThreads`). It records when each position
 * reached each subscriber; the poster's list of (position, post start
 * time), handed over at report time, turns that into latencies, lost,
 * duplicated and out-of-order deliveries. Driven over IPC.
 */
import { failToParent, serveParent, sendToParent } from '../support/childRuntime.ts';
import type { IpcMessage } from '../support/childProcesses.ts';
import { openGraphqlWs, type GraphqlWsSocket, type NextPayload } from '../support/graphqlWsSocket.ts';
import { Histogram } from '../support/histogram.ts';

export interface PositionConnectRequest extends IpcMessage {
  readonly type: 'connect';
  readonly url: string;
  /** One per subscriber (the same token repeated: one user on many sockets). */
  readonly tokens: readonly string[];
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly concurrency: number;
}

export interface PositionReport extends IpcMessage {
  readonly type: 'report';
  readonly histogram: ReturnType<Histogram['toJSON']>;
  readonly received: number;
  readonly unique: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  /** Deliveries of positions after the phase's start that the poster did not post (must be 0). */
  readonly unknown: number;
  /** Posts a subscriber never received although it received a later one (myThreads drops an older update of a thread for a newer one when a subscriber falls behind). */
  readonly superseded: number;
  readonly cpuShare: number;
  readonly wallMs: number;
  /** `thread.unreadCount` in each subscriber's update of the phase's last probe, as [value, subscribers]. */
  readonly lastUnreadCounts: readonly (readonly [number, number])[];
  readonly closed: number;
  readonly errors: readonly string[];
}

interface Receipt {
  readonly position: number;
  readonly at: number;
  readonly unreadCount: number | undefined;
}

interface Phase {
  readonly after: number;
  readonly receipts: Receipt[][];
  received: number;
  readonly startCpu: NodeJS.CpuUsage;
  readonly startWall: number;
  lastReceiptWall: number;
  cpuAtLastReceipt: NodeJS.CpuUsage;
}

const sockets: GraphqlWsSocket[] = [];
const everReceived = new Set<number>();
/** The highest position each subscriber has received, in any phase. */
const highest: number[] = [];
const errors: string[] = [];
let closed = 0;
let phase: Phase | undefined;

function note(error: string): void {
  if (errors.length < 20) errors.push(error);
}

/** The subscription's one root field: `{ position, thread?: { unreadCount? } }`. */
function valueOf(payload: NextPayload): { position: number; unreadCount: number | undefined } | undefined {
  if (payload.errors) note(`next with errors: ${JSON.stringify(payload.errors).slice(0, 300)}`);
  const root = payload.data ? Object.values(payload.data)[0] : undefined;
  if (typeof root !== 'object' || root === null) return undefined;
  const { position, thread } = root as { position?: unknown; thread?: { unreadCount?: unknown } | null };
  if (typeof position !== 'string' && typeof position !== 'number') return undefined;
  const unread = thread?.unreadCount;
  return { position: Number(position), unreadCount: typeof unread === 'number' ? unread : undefined };
}

function onNext(subscriber: number, payload: NextPayload, at: number): void {
  const value = valueOf(payload);
  if (!value) return;
  everReceived.add(subscriber);
  if (value.position > (highest[subscriber] ?? 0)) highest[subscriber] = value.position;
  if (!phase || value.position <= phase.after) return;
  phase.receipts[subscriber]?.push({ position: value.position, at, unreadCount: value.unreadCount });
  phase.received++;
  phase.lastReceiptWall = performance.now();
  phase.cpuAtLastReceipt = process.cpuUsage();
}

async function connectAll(request: PositionConnectRequest): Promise<IpcMessage> {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < request.tokens.length) {
      const index = next++;
      try {
        const socket = await openGraphqlWs(request.url, request.tokens[index], {
          onNext: (_id, payload, at) => onNext(index, payload, at),
          onProblem: note,
          onClose: () => closed++,
        });
        sockets[index] = socket;
        socket.subscribe('1', request.query, request.variables);
      } catch (error) {
        failed++;
        note(`connect: ${String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(request.concurrency, request.tokens.length) }, worker));
  return { type: 'connected', count: request.tokens.length - failed, failed, ms: performance.now() - started, errors: errors.slice(0, 5) };
}

function report(probes: readonly (readonly [number, number])[]): PositionReport {
  if (!phase) throw new Error('no phase armed');
  const startedAt = new Map(probes);
  const last = Math.max(...probes.map(([position]) => position));
  const histogram = new Histogram();
  let unique = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let unknown = 0;
  let superseded = 0;
  const lastUnread = new Map<number, number>();
  for (const receipts of phase.receipts) {
    const seen = new Set<number>();
    let highestSeen = phase.after;
    let previous = phase.after;
    for (const { position, at, unreadCount } of receipts) {
      const t = startedAt.get(position);
      if (t === undefined) {
        unknown++;
        continue;
      }
      if (seen.has(position)) {
        duplicates++;
        continue;
      }
      seen.add(position);
      unique++;
      if (position < previous) outOfOrder++;
      previous = position;
      highestSeen = Math.max(highestSeen, position);
      histogram.record(at - t);
      if (position === last && unreadCount !== undefined) lastUnread.set(unreadCount, (lastUnread.get(unreadCount) ?? 0) + 1);
    }
    for (const [position] of probes) if (!seen.has(position) && position < highestSeen) superseded++;
  }
  const wallMs = phase.lastReceiptWall - phase.startWall;
  const cpuMs = (phase.cpuAtLastReceipt.user - phase.startCpu.user + phase.cpuAtLastReceipt.system - phase.startCpu.system) / 1000;
  return {
    type: 'report',
    histogram: histogram.toJSON(),
    received: phase.received,
    unique,
    duplicates,
    outOfOrder,
    unknown,
    superseded,
    cpuShare: wallMs > 0 ? cpuMs / wallMs : 0,
    wallMs,
    lastUnreadCounts: [...lastUnread.entries()],
    closed,
    errors,
  };
}

serveParent({
  connect: (message) => connectAll(message as PositionConnectRequest),
  /** From now on, positions after `after` are counted as this phase's deliveries. */
  phase: (message) => {
    phase = {
      after: Number(message.after),
      receipts: Array.from({ length: sockets.length }, () => []),
      received: 0,
      startCpu: process.cpuUsage(),
      startWall: performance.now(),
      lastReceiptWall: performance.now(),
      cpuAtLastReceipt: process.cpuUsage(),
    };
    return { type: 'armed' };
  },
  /** `atHead`: subscribers that have received position `head` or a later one. */
  progress: (message) => {
    const head = Number(message.head ?? Number.POSITIVE_INFINITY);
    return { type: 'progress', received: phase?.received ?? 0, ready: everReceived.size, atHead: highest.filter((p) => p >= head).length, closed };
  },
  report: (message) => report(message.probes as readonly (readonly [number, number])[]),
  stop: () => {
    for (const socket of sockets) socket?.close();
    setTimeout(() => process.exit(0), 200); // a grace period for the close frames to leave before the process does
  },
});

process.on('uncaughtException', failToParent);
sendToParent({ type: 'started' });
