/**
 * Fan-out latency: one thread, N subscribers in their own processes, probe
 * messages posted at 10/s and then as fast as 4 requests in flight allow.
 * For each server (Thrds over graphql-ws, raw ws broadcast, socket.io
 * room, and a stock graphql-ws server for reference): p50/p99/max from the
 * start of the post to receipt, deliveries/s, lost/duplicated/out-of-order,
 * server CPU per delivery (from /proc), and whether a client process
 * saturated a core.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchModule, BenchRow } from './types.ts';
import type { PhaseReport } from './clients/subscribers.ts';
import { isThrds, openRig, serverLabel, type Rig, type ServerKind } from './support/fanoutRig.ts';
import { node24 } from './support/otherNode.ts';
import { serverCpuUs } from './support/serverProcesses.ts';
import { Histogram } from './support/histogram.ts';
import { summarize } from './support/cpuProfileSummary.ts';
import { cpuTimeMs, machineBusySince, machineCpuTicks } from './support/procStat.ts';
import { repoRoot } from './support/childProcesses.ts';
import { waitForDrain } from './support/drain.ts';
import { fmt } from './support/table.ts';

interface PhaseResult {
  readonly server: ServerKind;
  readonly subscribers: number;
  readonly phase: 'rate10' | 'max';
  readonly messages: number;
  readonly posted: number;
  readonly postFailures: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly deliveries: number;
  readonly expected: number;
  readonly lost: number;
  /** Not received by the deadline (the server had fallen behind): late, maybe lost. */
  readonly outstanding: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly deliveriesPerSecond: number;
  readonly serverCpuMs: number;
  readonly serverCpuUsPerDelivery: number;
  readonly wallMs: number;
  readonly clientCpuShares: readonly number[];
  readonly posterCpuShare: number;
  /** Share of all the machine's CPUs busy during the phase (every process, not only ours). */
  readonly machineBusy: number;
  readonly postingMs: number;
  readonly postP50: number;
  readonly postP99: number;
  readonly postsPerSecond: number;
  readonly closed: number;
  readonly drainedInTime: boolean;
  readonly errors: readonly string[];
  /** p99 of each repetition, when the phase ran more than once (the reported p99 is their median). */
  readonly p99Runs?: readonly number[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** Repetitions of one phase as one result: medians for latencies and rates, sums for counts. */
function combineRuns(runs: readonly PhaseResult[]): PhaseResult {
  const first = runs[0];
  if (!first) throw new Error('no runs to combine');
  if (runs.length === 1) return first;
  const sum = (pick: (r: PhaseResult) => number) => runs.reduce((s, r) => s + pick(r), 0);
  const serverCpuMs = sum((r) => r.serverCpuMs);
  const deliveries = sum((r) => r.deliveries);
  return {
    ...first,
    messages: sum((r) => r.messages),
    posted: sum((r) => r.posted),
    postFailures: sum((r) => r.postFailures),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    max: Math.max(...runs.map((r) => r.max)),
    deliveries,
    expected: sum((r) => r.expected),
    lost: sum((r) => r.lost),
    outstanding: sum((r) => r.outstanding),
    duplicates: sum((r) => r.duplicates),
    outOfOrder: sum((r) => r.outOfOrder),
    deliveriesPerSecond: median(runs.map((r) => r.deliveriesPerSecond)),
    serverCpuMs,
    serverCpuUsPerDelivery: deliveries > 0 ? (serverCpuMs * 1000) / deliveries : Number.NaN,
    wallMs: sum((r) => r.wallMs),
    clientCpuShares: first.clientCpuShares.map((_, i) => Math.max(...runs.map((r) => r.clientCpuShares[i] ?? 0))),
    posterCpuShare: Math.max(...runs.map((r) => r.posterCpuShare)),
    machineBusy: Math.max(...runs.map((r) => r.machineBusy)),
    postingMs: sum((r) => r.postingMs),
    postsPerSecond: median(runs.map((r) => r.postsPerSecond)),
    postP50: median(runs.map((r) => r.postP50)),
    postP99: median(runs.map((r) => r.postP99)),
    closed: Math.max(...runs.map((r) => r.closed)),
    drainedInTime: runs.every((r) => r.drainedInTime),
    errors: runs.flatMap((r) => r.errors).slice(0, 10),
    p99Runs: runs.map((r) => r.p99),
  };
}

const SATURATED = 0.9;

async function runPhase(
  rig: Rig,
  server: ServerKind,
  subscribers: number,
  phaseId: number,
  phase: 'rate10' | 'max',
  messages: number,
  drainTimeoutMs: number,
  profileDir: string | undefined,
): Promise<PhaseResult> {
  await Promise.all(rig.subscribers.map((child) => child.request({ type: 'phase', phase: phaseId, expected: messages }, 'armed', 30_000)));
  const expected = subscribers * messages;
  if (profileDir) await rig.server.child.request({ type: 'profileStart' }, 'profiling', 30_000);
  const cpuBefore = cpuTimeMs(rig.server.child.pid);
  const machineBefore = machineCpuTicks();
  const started = performance.now();
  const ran = await rig.poster.request<{ type: 'ran'; posted: number; failed: number; errors: string[]; cpuShare: number; durationMs: number; postP50: number; postP99: number }>(
    { type: 'run', phase: phaseId, messages, rate: phase === 'rate10' ? 10 : 0, inFlight: 4 },
    'ran',
    drainTimeoutMs + 120_000,
  );
  const drained = await waitForDrain(async () => (await rig.progress(phaseId)).received, subscribers * ran.posted, drainTimeoutMs);
  const wallMs = performance.now() - started;
  const serverCpuMs = cpuTimeMs(rig.server.child.pid) - cpuBefore;
  const machineBusy = machineBusySince(machineBefore);
  if (profileDir) {
    const file = join(profileDir, `${server}-N${subscribers}-${phase}.cpuprofile`);
    await rig.server.child.request({ type: 'profileStop', file }, 'profiled', 120_000);
    const summary = summarize(JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof summarize>[0], 30);
    writeFileSync(file.replace(/\.cpuprofile$/, '.txt'), summary);
    console.error(`[fanout] CPU profile of ${serverLabel[server]}, N=${subscribers}, ${phase}: ${file}\n${summary}`);
  }
  const reports = await Promise.all(rig.subscribers.map((child) => child.request<PhaseReport>({ type: 'report', phase: phaseId }, 'report', 60_000)));
  const histogram = Histogram.from(reports.map((r) => r.histogram));
  const unique = reports.reduce((s, r) => s + r.unique, 0);
  // Deliveries still outstanding at the deadline are late, not (yet) lost: count each at the
  // time since the last post, so p99/max become lower bounds instead of flattering figures.
  const outstanding = drained ? 0 : subscribers * ran.posted - unique;
  const sinceLastPost = wallMs - ran.durationMs;
  for (let i = 0; i < outstanding; i++) histogram.record(sinceLastPost);
  const deliveries = reports.reduce((s, r) => s + r.received, 0);
  const receiveWallMs = Math.max(...reports.map((r) => r.wallMs));
  return {
    server,
    subscribers,
    phase,
    messages,
    posted: ran.posted,
    postFailures: ran.failed,
    p50: histogram.quantile(0.5),
    p99: histogram.quantile(0.99),
    max: histogram.max,
    deliveries,
    expected,
    // A post that failed was never a message: only what was posted can be lost.
    lost: drained ? Math.max(0, subscribers * ran.posted - unique) : 0,
    outstanding,
    duplicates: reports.reduce((s, r) => s + r.duplicates, 0),
    outOfOrder: reports.reduce((s, r) => s + r.outOfOrder, 0),
    deliveriesPerSecond: receiveWallMs > 0 ? (deliveries / receiveWallMs) * 1000 : 0,
    serverCpuMs,
    serverCpuUsPerDelivery: deliveries > 0 ? (serverCpuMs * 1000) / deliveries : Number.NaN,
    wallMs,
    clientCpuShares: reports.map((r) => r.cpuShare),
    posterCpuShare: ran.cpuShare,
    machineBusy,
    postingMs: ran.durationMs,
    postP50: ran.postP50,
    postP99: ran.postP99,
    postsPerSecond: (ran.posted / ran.durationMs) * 1000,
    closed: reports.reduce((s, r) => s + r.closed, 0),
    drainedInTime: drained,
    errors: [...ran.errors, ...reports.flatMap((r) => r.errors)].slice(0, 10),
  };
}

function clientNote(result: PhaseResult): string {
  const shares = result.clientCpuShares.map((s) => `${Math.round(s * 100)}%`).join('/');
  const saturated = result.clientCpuShares.some((s) => s >= SATURATED);
  const machine = result.machineBusy >= SATURATED ? ` (the machine was FULL: ${Math.round(result.machineBusy * 100)}% of all cores busy)` : `; machine ${Math.round(result.machineBusy * 100)}% busy`;
  return `subscriber procs CPU ${shares}${saturated ? ' (a client process SATURATED a core: client-bound)' : ''}${machine}`;
}

function postNote(result: PhaseResult): string {
  return `posted ${fmt(result.postsPerSecond)} msg/s, post p50 ${fmt(result.postP50)} ms`;
}

function integrityNote(result: PhaseResult): string {
  const parts = [`lost ${result.lost}, dup ${result.duplicates}, out-of-order ${result.outOfOrder}`];
  if (result.postFailures) parts.push(`${result.postFailures} posts FAILED`);
  if (!result.drainedInTime) parts.push(`NOT DRAINED: ${result.outstanding} deliveries outstanding at the deadline (counted at their age then, so latencies are lower bounds)`);
  if (result.closed) parts.push(`${result.closed} sockets closed`);
  return parts.join(', ');
}

export const run: BenchModule = async (options) => {
  const quick = options.quick;
  const sizes = process.env.THRDS_BENCH_FANOUT_SIZES?.split(',').map(Number) ?? (quick ? [50] : [1000, 5000]);
  const rows: BenchRow[] = [];
  const results: PhaseResult[] = [];
  // THRDS_BENCH_CPU_PROFILE=1: profile every server during each phase (this perturbs the figures).
  const profileDir = process.env.THRDS_BENCH_CPU_PROFILE ? join(repoRoot, 'bench/results/profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  let phaseId = 0;
  const skipped: string[] = [];
  const postCpuUs = new Map<string, number>();
  for (const n of sizes) {
    const only = process.env.THRDS_BENCH_FANOUT_SERVERS?.split(',') ?? [];
    // With THRDS_BENCH_NODE24 the Thrds server also runs on Node 24, next to the bench's own runtime (N ≤ 1,000: one row set).
    const runtimes: ServerKind[] = node24 && n <= 1000 ? ['thrds', 'thrds-node24'] : ['thrds'];
    const kinds = (['ws', 'socket.io', ...(n <= 1000 ? (['graphql-ws'] as const) : []), ...runtimes] as ServerKind[]).filter(
      (k) => only.length === 0 || only.includes(k),
    );
    // Bounded work: 10 msg/s for 3 s (three times), then ~200k deliveries as fast as possible.
    const rate10Messages = quick ? 20 : 30;
    const maxMessages = quick ? 100 : Math.round(200_000 / n);
    const drainMs = quick ? 15_000 : 30_000;
    const repeats = quick ? 1 : 3;
    for (const kind of kinds) {
      const rig = await openRig({
        kind,
        subscribers: n,
        subscriberProcesses: n >= 1000 ? 2 : 1,
        store: { mysqlUrl: options.mysqlUrl },
        padTo: 120,
        beforeConnect: async (server, poster) => {
          // The server's CPU per post with nobody subscribed: the share of "CPU per delivery"
          // that is the append (or publish) itself rather than the fan-out.
          const posts = quick ? 20 : 100;
          const before = await serverCpuUs(server);
          await poster.request({ type: 'run', phase: 0, messages: posts, rate: 0, inFlight: 4 }, 'ran', 120_000);
          postCpuUs.set(`${kind}/${n}`, ((await serverCpuUs(server)) - before) / posts);
        },
      });
      try {
        await rig.warmUp(60_000);
        // 10 msg/s runs `repeats` times and reports the median p99: one burst of other work on
        // this shared machine should not decide the figure.
        const rate10Runs: PhaseResult[] = [];
        for (let i = 0; i < repeats; i++) {
          const r = await runPhase(rig, kind, n, ++phaseId, 'rate10', rate10Messages, drainMs, profileDir);
          rate10Runs.push(r);
          if (!r.drainedInTime) break;
        }
        const rate10 = combineRuns(rate10Runs);
        results.push(rate10);
        if (rate10.drainedInTime) results.push(await runPhase(rig, kind, n, ++phaseId, 'max', maxMessages, drainMs, profileDir));
        else skipped.push(`${serverLabel[kind]} N=${n} max rate: skipped, the 10 msg/s phase had not drained`);
        console.error(`[fanout] N=${n} ${serverLabel[kind]}: connect ${fmt(rig.connectMs)} ms, ` +
          results.slice(-2).map((r) => `${r.phase} p99 ${fmt(r.p99)} ms, ${fmt(r.serverCpuUsPerDelivery)} µs/delivery, ${integrityNote(r)}`).join('; '));
      } finally {
        await rig.close();
      }
    }
    const find = (kind: ServerKind, phase: PhaseResult['phase']) => results.find((r) => r.server === kind && r.subscribers === n && r.phase === phase);
    for (const phase of ['rate10', 'max'] as const) {
      const base = find('ws', phase);
      const label = phase === 'rate10' ? '10 msg/s' : 'max rate';
      for (const kind of kinds.filter((k) => k !== 'ws')) {
        const r = find(kind, phase);
        if (!r || !base) continue;
        const target = isThrds(kind) && phase === 'rate10' ? (n >= 5000 ? '; target ≤2× raw ws' : n >= 1000 ? '; target p99 < 100 ms' : '') : '';
        rows.push({
          name: `fan-out N=${n} ${label}: p99 latency, ${serverLabel[kind]}`,
          value: r.p99,
          unit: 'ms',
          baseline: { name: `raw ws p99 (p50 ${fmt(base.p50)}, max ${fmt(base.max)})`, value: base.p99 },
          ratio: r.p99 / base.p99,
          note: `p50 ${fmt(r.p50)} ms, max ${fmt(r.max)} ms${r.p99Runs ? `; median of ${r.p99Runs.length} runs, p99s ${r.p99Runs.map(fmt).join('/')} (raw ws ${base.p99Runs?.map(fmt).join('/') ?? fmt(base.p99)})` : ''}; ${integrityNote(r)}; ${clientNote(r)}${phase === 'max' ? `; ${postNote(r)} (raw ws ${postNote(base)})` : ''}${target}`,
        });
      }
      if (phase === 'max') {
        for (const kind of kinds.filter((k) => k !== 'ws')) {
          const r = find(kind, phase);
          if (!r || !base) continue;
          rows.push({
            name: `fan-out N=${n} max rate: deliveries/s, ${serverLabel[kind]}`,
            value: r.deliveriesPerSecond,
            unit: 'deliveries/s',
            baseline: { name: 'raw ws', value: base.deliveriesPerSecond },
            ratio: r.deliveriesPerSecond / base.deliveriesPerSecond,
            note: `${clientNote(r)}; ${postNote(r)} (raw ws ${postNote(base)})`,
          });
        }
        for (const kind of kinds.filter((k) => k !== 'ws')) {
          const r = find(kind, phase);
          if (!r || !base) continue;
          rows.push({
            name: `fan-out N=${n} max rate: server CPU per delivery, ${serverLabel[kind]}`,
            value: r.serverCpuUsPerDelivery,
            unit: 'µs/delivery',
            baseline: { name: 'raw ws', value: base.serverCpuUsPerDelivery },
            ratio: r.serverCpuUsPerDelivery / base.serverCpuUsPerDelivery,
            note: `${fmt(r.serverCpuMs)} ms CPU for ${r.deliveries} deliveries, of which the posts ~${fmt((postCpuUs.get(`${kind}/${n}`) ?? Number.NaN) / n)} µs/delivery (${fmt(postCpuUs.get(`${kind}/${n}`) ?? Number.NaN)} µs CPU per post with no subscriber; raw ws ${fmt(postCpuUs.get(`ws/${n}`) ?? Number.NaN)} µs)${isThrds(kind) ? '; target ≤1.5× raw ws' : ''}`,
          });
        }
      }
    }
    const thrds = results.filter((r) => isThrds(r.server) && r.subscribers === n);
    const late = thrds.reduce((s, r) => s + r.outstanding, 0);
    const skippedHere = skipped.filter((s) => s.includes(`N=${n} `));
    rows.push({
      name: `fan-out N=${n}: lost + duplicated + out-of-order, Thrds`,
      value: thrds.reduce((s, r) => s + r.lost + r.duplicates + r.outOfOrder, 0),
      unit: 'deliveries',
      note: `must be 0; over ${thrds.reduce((s, r) => s + r.expected, 0)} expected deliveries${late ? `; ${late} still outstanding at a deadline (not counted)` : ''}${skippedHere.length ? `; ${skippedHere.join('; ')}` : ''}`,
    });
  }
  mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench/results', `fanout-details-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(results, null, 2));
  return rows;
};
