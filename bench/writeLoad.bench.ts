/**
 * Latency under write load (issue 17, item 5): N subscribers on one thread,
 * a probe poster at 10 msg/s into it, first alone, then while 16 writers
 * post into 16 other threads nobody watches. For Thrds on MariaDB and for
 * the raw `ws` broadcast server under the same load (its writers publish
 * into other rooms at the rate Thrds' writers reached), each phase three
 * times in a full run (median p99): probe p50/p99/max
 * from post start to receipt, writes/s, lost/duplicated/out-of-order. For
 * Thrds, each probe's time split by phase from the server's bench trace
 * (THRDS_BENCH_TRACE=1, src/observability/benchTrace.ts): post start →
 * append submitted → its group's transaction started → committed → in the
 * log feed → executed for the subscription group → frames handed to every
 * socket → last receipt.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchModule, BenchRow } from './types.ts';
import type { PhaseReport } from './clients/subscribers.ts';
import type { AppendResult, AppendRun } from './clients/appendLoad.ts';
import { openRig, serverLabel, type Rig } from './support/fanoutRig.ts';
import { spawnBenchChild, repoRoot, type BenchChild } from './support/childProcesses.ts';
import { createThread, graphqlHttpClient, registerUser } from './support/graphqlHttp.ts';
import { Histogram } from './support/histogram.ts';
import { cpuTimeMs, machineBusySince, machineCpuTicks } from './support/procStat.ts';
import { waitForDrain } from './support/drain.ts';
import { fmt } from './support/table.ts';
import type { TraceMarks, TraceStage } from '../src/observability/benchTrace.ts';

type Kind = 'thrds' | 'ws';
const WRITERS = 16;
const RATE = 10;

/** A phase of a probe's life, between two marks ('postStart' and 'lastReceipt' are the client's). */
type Mark = 'postStart' | TraceStage | 'firstReceipt' | 'lastReceipt';
const SPANS: readonly (readonly [Mark, Mark, string])[] = [
  ['postStart', 'submitted', 'post start → append submitted (HTTP, GraphQL, command)'],
  ['submitted', 'groupStarted', 'submitted → its group’s transaction starts (queued behind the group in flight)'],
  ['groupStarted', 'committed', 'transaction start → committed (2 round trips, fsync)'],
  ['committed', 'fed', 'committed → in the log feed'],
  ['fed', 'executed', 'feed → executed for the subscription group'],
  ['executed', 'framesWritten', 'executed → frames handed to all N sockets'],
  ['framesWritten', 'lastReceipt', 'last frame written → last receipt (kernel, client processes)'],
];

interface ProbeTimes {
  readonly seq: number;
  readonly position: number;
  readonly marks: Partial<Record<Mark, number>>;
}

interface Phase {
  readonly kind: Kind;
  readonly loaded: boolean;
  readonly posted: number;
  readonly postFailures: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly lost: number;
  readonly outstanding: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly drained: boolean;
  readonly machineBusy: number;
  readonly serverCpuShare: number;
  readonly clientCpuShares: readonly number[];
  readonly writes: AppendResult | undefined;
  readonly probes: readonly ProbeTimes[];
  readonly errors: readonly string[];
  /** p99 of each repetition, when the phase ran more than once (the reported p99 is their median). */
  readonly p99Runs?: readonly number[];
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Every probe's receipts over all subscriber processes: its position, post start, earliest first and latest last receipt. */
function probeTimes(reports: readonly PhaseReport[], messages: number): ProbeTimes[] {
  const probes: ProbeTimes[] = [];
  for (let seq = 0; seq < messages; seq++) {
    let position = Number.NaN;
    let postStart = Number.NaN;
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const report of reports) {
      const p = report.probes;
      if (!p) continue;
      // NaN crossed IPC as null: finite() tells a probe this process never received.
      const [at, postedAt, firstAt, lastAt] = [p.position[seq], p.postedAt[seq], p.firstAt[seq], p.lastAt[seq]];
      if (finite(at)) position = at;
      if (finite(postedAt)) postStart = postedAt;
      if (finite(firstAt)) first = Math.min(first, firstAt);
      if (finite(lastAt)) last = Math.max(last, lastAt);
    }
    if (finite(position) && finite(first)) probes.push({ seq, position, marks: { postStart, firstReceipt: first, lastReceipt: last } });
  }
  return probes;
}

async function withTrace(rig: Rig, probes: readonly ProbeTimes[]): Promise<ProbeTimes[]> {
  const { marks } = await rig.server.child.request<{ type: 'trace'; marks: TraceMarks[] }>({ type: 'trace', positions: probes.map((p) => p.position) }, 'trace', 30_000);
  return probes.map((probe, i) => ({ ...probe, marks: { ...probe.marks, ...marks[i] } }));
}

function spanOf(probe: ProbeTimes, from: Mark, to: Mark): number | undefined {
  const a = probe.marks[from];
  const b = probe.marks[to];
  return finite(a) && finite(b) ? b - a : undefined;
}

async function runPhase(rig: Rig, kind: Kind, n: number, phaseId: number, messages: number, load: { child: BenchChild; run: AppendRun } | undefined): Promise<Phase> {
  await Promise.all(rig.subscribers.map((child) => child.request({ type: 'phase', phase: phaseId, expected: messages, perProbe: true }, 'armed', 30_000)));
  const writes = load ? load.child.request<AppendResult>(load.run, 'result', load.run.warmupMs + load.run.durationMs + 120_000) : undefined;
  // The probe starts once the writers have warmed up, and ends before they stop.
  if (load) await new Promise((resolve) => setTimeout(resolve, load.run.warmupMs + 200)); // the writers' warm-up, timed by them
  const cpuBefore = cpuTimeMs(rig.server.child.pid);
  const machineBefore = machineCpuTicks();
  const started = performance.now();
  const ran = await rig.poster.request<{ type: 'ran'; posted: number; failed: number; errors: string[]; durationMs: number }>(
    { type: 'run', phase: phaseId, messages, rate: RATE, inFlight: 4 },
    'ran',
    messages * 1000 + 120_000,
  );
  const drained = await waitForDrain(async () => (await rig.progress(phaseId)).received, n * ran.posted, 30_000);
  const wallMs = performance.now() - started;
  const serverCpuShare = (cpuTimeMs(rig.server.child.pid) - cpuBefore) / wallMs;
  const machineBusy = machineBusySince(machineBefore);
  const written = await writes;
  const reports = await Promise.all(rig.subscribers.map((child) => child.request<PhaseReport>({ type: 'report', phase: phaseId }, 'report', 60_000)));
  const histogram = Histogram.from(reports.map((r) => r.histogram));
  const unique = reports.reduce((s, r) => s + r.unique, 0);
  const outstanding = drained ? 0 : n * ran.posted - unique;
  for (let i = 0; i < outstanding; i++) histogram.record(wallMs - ran.durationMs);
  let probes = probeTimes(reports, messages);
  if (kind === 'thrds') probes = await withTrace(rig, probes);
  return {
    kind,
    loaded: load !== undefined,
    posted: ran.posted,
    postFailures: ran.failed,
    p50: histogram.quantile(0.5),
    p99: histogram.quantile(0.99),
    max: histogram.max,
    lost: drained ? Math.max(0, n * ran.posted - unique) : 0,
    outstanding,
    duplicates: reports.reduce((s, r) => s + r.duplicates, 0),
    outOfOrder: reports.reduce((s, r) => s + r.outOfOrder, 0),
    drained,
    machineBusy,
    serverCpuShare,
    clientCpuShares: reports.map((r) => r.cpuShare),
    writes: written,
    probes,
    errors: [...ran.errors, ...reports.flatMap((r) => r.errors), ...(written?.errors ?? [])].slice(0, 10),
  };
}

const median = (values: readonly number[]) => quantile(values, 0.5);

/**
 * Repetitions of one phase as one: median p50/p99 and server share, sums of
 * counts, the worst max, machine and client shares; every probe pooled for
 * the per-phase figures; the writers' result of the median-rate run.
 */
function combine(runs: readonly Phase[]): Phase {
  const first = runs[0];
  if (!first) throw new Error('no runs to combine');
  if (runs.length === 1) return first;
  const sum = (pick: (p: Phase) => number) => runs.reduce((s, p) => s + pick(p), 0);
  const byRate = runs.filter((p) => p.writes).sort((a, b) => a.writes!.perSecond - b.writes!.perSecond);
  return {
    ...first,
    posted: sum((p) => p.posted),
    postFailures: sum((p) => p.postFailures),
    p50: median(runs.map((p) => p.p50)),
    p99: median(runs.map((p) => p.p99)),
    max: Math.max(...runs.map((p) => p.max)),
    lost: sum((p) => p.lost),
    outstanding: sum((p) => p.outstanding),
    duplicates: sum((p) => p.duplicates),
    outOfOrder: sum((p) => p.outOfOrder),
    drained: runs.every((p) => p.drained),
    machineBusy: Math.max(...runs.map((p) => p.machineBusy)),
    serverCpuShare: median(runs.map((p) => p.serverCpuShare)),
    clientCpuShares: first.clientCpuShares.map((_, i) => Math.max(...runs.map((p) => p.clientCpuShares[i] ?? 0))),
    writes: byRate[Math.floor((byRate.length - 1) / 2)]?.writes,
    probes: runs.flatMap((p) => p.probes),
    errors: runs.flatMap((p) => p.errors).slice(0, 10),
    p99Runs: runs.map((p) => p.p99),
  };
}

/** Thrds' writers: one user each (as 16 people would be), each posting into its own thread. */
async function thrdsWriters(baseUrl: string): Promise<AppendRun['target']> {
  const client = graphqlHttpClient(baseUrl, WRITERS);
  try {
    const tokens = await Promise.all(Array.from({ length: WRITERS }, (_, i) => registerUser(client, `writer${i}_`)));
    const threadIds = await Promise.all(tokens.map((token, i) => createThread(client, token, `write load ${i}`)));
    return { kind: 'thrds', baseUrl, tokens, threadIds };
  } finally {
    client.close();
  }
}

function integrity(phase: Phase): string {
  const parts = [`lost ${phase.lost}, dup ${phase.duplicates}, out-of-order ${phase.outOfOrder}`];
  if (phase.postFailures) parts.push(`${phase.postFailures} probe posts FAILED`);
  if (!phase.drained) parts.push(`NOT DRAINED: ${phase.outstanding} deliveries outstanding (counted at their age then)`);
  if (phase.writes?.failures) parts.push(`${phase.writes.failures} writes FAILED`);
  return parts.join(', ');
}

function machineNote(phase: Phase): string {
  const clients = phase.clientCpuShares.map((s) => `${Math.round(s * 100)}%`).join('/');
  return `machine ${Math.round(phase.machineBusy * 100)}% busy${phase.machineBusy >= 0.9 ? ' (FULL)' : ''}, server ${Math.round(phase.serverCpuShare * 100)}% of a core, subscriber procs ${clients}${phase.writes ? `, writer proc ${Math.round(phase.writes.cpuShare * 100)}%` : ''}`;
}

export const run: BenchModule = async (options) => {
  const quick = options.quick;
  const n = Number(process.env.THRDS_BENCH_WRITELOAD_N ?? (quick ? 100 : 1000));
  const messages = quick ? 15 : 100;
  const repeats = quick ? 1 : 3;
  const kinds = (['thrds', 'ws'] as const).filter((k) => !process.env.THRDS_BENCH_WRITELOAD_SERVERS || process.env.THRDS_BENCH_WRITELOAD_SERVERS.split(',').includes(k));
  const phases: Phase[] = [];
  let phaseId = 0;
  let thrdsWritesPerSecond: number | undefined;
  for (const kind of kinds) {
    let target: AppendRun['target'] | undefined;
    const rig = await openRig({
      kind,
      subscribers: n,
      subscriberProcesses: n >= 1000 ? 2 : 1,
      store: { mysqlUrl: options.mysqlUrl },
      padTo: 120,
      serverEnv: { THRDS_BENCH_TRACE: '1' },
      beforeConnect: async (server) => {
        target = kind === 'thrds' ? await thrdsWriters(server.baseUrl) : { kind: 'publish', baseUrl: server.baseUrl, rooms: Array.from({ length: WRITERS }, (_, i) => `writers-${i}`) };
      },
    });
    const writers = spawnBenchChild('bench/clients/appendLoad.ts', { name: 'writers' });
    try {
      await writers.next('started', 30_000);
      if (!target) throw new Error('the writers’ target was not set up');
      await rig.warmUp(60_000);
      // Each phase runs `repeats` times and reports the median p99: one burst of other work on this shared machine should not decide it.
      const idle: Phase[] = [];
      for (let i = 0; i < repeats; i++) idle.push(await runPhase(rig, kind, n, ++phaseId, messages, undefined));
      phases.push(combine(idle));
      // Raw ws gets the same load: the writes/s Thrds' writers reached (as fast as they can when Thrds did not run).
      const ratePerClient = kind === 'ws' && thrdsWritesPerSecond ? thrdsWritesPerSecond / WRITERS : undefined;
      const load: AppendRun = {
        type: 'run',
        concurrency: WRITERS,
        warmupMs: quick ? 500 : 1000,
        durationMs: (messages * 1000) / RATE + 1500,
        target,
        ...(ratePerClient ? { ratePerClient } : {}),
      };
      const loadedRuns: Phase[] = [];
      for (let i = 0; i < repeats; i++) loadedRuns.push(await runPhase(rig, kind, n, ++phaseId, messages, { child: writers, run: load }));
      const loaded = combine(loadedRuns);
      phases.push(loaded);
      if (kind === 'thrds') thrdsWritesPerSecond = loaded.writes?.perSecond;
      console.error(
        `[writeLoad] N=${n} ${serverLabel[kind]}: ` +
          phases.slice(-2).map((p) => `${p.loaded ? 'loaded' : 'idle'} p50 ${fmt(p.p50)} p99 ${fmt(p.p99)} max ${fmt(p.max)} ms${p.writes ? `, ${fmt(p.writes.perSecond)} writes/s` : ''}, ${integrity(p)}; ${machineNote(p)}`).join('; '),
      );
    } finally {
      await writers.stop();
      await rig.close();
    }
  }
  mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench/results', `writeload-details-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(phases, null, 2));
  return rowsOf(n, phases);
};

function rowsOf(n: number, phases: readonly Phase[]): BenchRow[] {
  const rows: BenchRow[] = [];
  const find = (kind: Kind, loaded: boolean) => phases.find((p) => p.kind === kind && p.loaded === loaded);
  for (const loaded of [true, false]) {
    const thrds = find('thrds', loaded);
    const ws = find('ws', loaded);
    if (!thrds) continue;
    const label = loaded ? `while ${WRITERS} writers post into other threads` : 'no writers';
    rows.push({
      name: `write load N=${n}, probe 10 msg/s, ${label}: p99 post→receipt, Thrds (MariaDB)`,
      value: thrds.p99,
      unit: 'ms',
      ...(ws ? { baseline: { name: `raw ws p99 (p50 ${fmt(ws.p50)}, max ${fmt(ws.max)})`, value: ws.p99 }, ratio: thrds.p99 / ws.p99 } : {}),
      note: `p50 ${fmt(thrds.p50)} ms, max ${fmt(thrds.max)} ms${thrds.p99Runs ? `; median of ${thrds.p99Runs.length} runs, p99s ${thrds.p99Runs.map(fmt).join('/')} (raw ws ${ws?.p99Runs?.map(fmt).join('/') ?? '–'})` : ''}; ${integrity(thrds)}; ${machineNote(thrds)}${ws ? `; raw ws ${machineNote(ws)}` : ''}`,
    });
  }
  const thrdsLoaded = find('thrds', true);
  const wsLoaded = find('ws', true);
  if (thrdsLoaded?.writes) {
    rows.push({
      name: `write load N=${n}: writes/s by ${WRITERS} writers during the probe, Thrds postMessage`,
      value: thrdsLoaded.writes.perSecond,
      unit: 'msg/s',
      ...(wsLoaded?.writes ? { baseline: { name: 'raw ws POST /publish, paced to the same rate', value: wsLoaded.writes.perSecond }, ratio: thrdsLoaded.writes.perSecond / wsLoaded.writes.perSecond } : {}),
      note: `writers as fast as their answers come back; write p50 ${fmt(thrdsLoaded.writes.p50)} ms, p99 ${fmt(thrdsLoaded.writes.p99)} ms${wsLoaded?.writes ? ` (raw ws ${fmt(wsLoaded.writes.p50)}/${fmt(wsLoaded.writes.p99)} ms)` : ''}`,
    });
  }
  const thrds = phases.filter((p) => p.kind === 'thrds');
  if (thrds.length > 0) {
    rows.push({
      name: `write load N=${n}: lost + duplicated + out-of-order, Thrds`,
      value: thrds.reduce((s, p) => s + p.lost + p.duplicates + p.outOfOrder, 0),
      unit: 'deliveries',
      note: `must be 0; over ${thrds.reduce((s, p) => s + p.posted * n, 0)} deliveries${thrds.some((p) => !p.drained) ? '; a phase did NOT drain' : ''}`,
    });
  }
  // Raw ws has no trace: its probes split only into post start → first receipt → last receipt, to set beside Thrds' phases.
  if (wsLoaded) {
    const spans = (from: Mark, to: Mark) => wsLoaded.probes.flatMap((p) => spanOf(p, from, to) ?? []);
    const first = spans('postStart', 'firstReceipt');
    const spread = spans('firstReceipt', 'lastReceipt');
    rows.push({
      name: `write load N=${n}, raw ws under the same load, per probe: post start → first receipt`,
      value: quantile(first, 0.99),
      unit: 'ms p99',
      ...(thrdsLoaded ? { baseline: { name: 'Thrds, same span', value: quantile(thrdsLoaded.probes.flatMap((p) => spanOf(p, 'postStart', 'firstReceipt') ?? []), 0.99) } } : {}),
      note: `p50 ${fmt(quantile(first, 0.5))} ms; first → last receipt (the broadcast to N) p50 ${fmt(quantile(spread, 0.5))}, p99 ${fmt(quantile(spread, 0.99))} ms, over ${first.length} probes${thrdsLoaded ? `; Thrds first → last receipt p50 ${fmt(quantile(thrdsLoaded.probes.flatMap((p) => spanOf(p, 'firstReceipt', 'lastReceipt') ?? []), 0.5))} ms` : ''}`,
    });
  }
  const idle = find('thrds', false);
  if (thrdsLoaded) {
    for (const [from, to, label] of SPANS) {
      const spans = (phase: Phase | undefined) => (phase?.probes ?? []).flatMap((p) => {
        const span = spanOf(p, from, to);
        return span === undefined ? [] : [span];
      });
      const loaded = spans(thrdsLoaded);
      const quiet = spans(idle);
      rows.push({
        name: `write load N=${n}, Thrds under load, per probe: ${label}`,
        value: quantile(loaded, 0.99),
        unit: 'ms p99',
        note: `p50 ${fmt(quantile(loaded, 0.5))} ms, max ${fmt(Math.max(...loaded))} ms over ${loaded.length} probes; no writers: p50 ${fmt(quantile(quiet, 0.5))}, p99 ${fmt(quantile(quiet, 0.99))} ms`,
      });
    }
    const slowest = [...thrdsLoaded.probes].sort((a, b) => (spanOf(b, 'postStart', 'lastReceipt') ?? 0) - (spanOf(a, 'postStart', 'lastReceipt') ?? 0)).slice(0, Math.max(1, Math.ceil(thrdsLoaded.probes.length / 20)));
    rows.push({
      name: `write load N=${n}, Thrds under load: the slowest 5% of probes, post start → last receipt`,
      value: quantile(slowest.flatMap((p) => spanOf(p, 'postStart', 'lastReceipt') ?? []), 0.5),
      unit: 'ms median',
      note: `where their time went (median ms per phase): ${SPANS.map(([from, to]) => `${from}→${to} ${fmt(quantile(slowest.flatMap((p) => spanOf(p, from, to) ?? []), 0.5))}`).join(', ')}`,
    });
  }
  return rows;
}
