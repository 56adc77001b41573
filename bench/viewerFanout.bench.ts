/**
 * Viewer-scoped fan-out (issue 13): what a subscription whose result
 * depends on the viewer costs next to the shared public path. N
 * subscribers over WebSocket, each signed in as its own user, subscribe to
 * `myThreads { reason position thread { id unreadCount } }`: every post
 * must be executed once per user (each has their own unread count). The
 * baseline is the same N on the public `threadEvents` of the thread, one
 * group executed once per post for all. A third path has the N sockets
 * signed in as one user: one viewer-scoped group, which should cost like
 * the public one. Messages are posted at a fixed rate; per path: delivery
 * latency from the start of the post, deliveries/s, server CPU per
 * delivery and per post (from /proc), executions per post (the gateway's
 * own count, /healthz), and lost, duplicated and out-of-order deliveries.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchModule, BenchRow } from './types.ts';
import type { PositionConnectRequest, PositionReport } from './clients/positionSubscribers.ts';
import type { PositionPosterConfig, PositionPosterRan } from './clients/positionPoster.ts';
import { repoRoot, spawnBenchChild, type BenchChild } from './support/childProcesses.ts';
import { summarize } from './support/cpuProfileSummary.ts';
import { createThread, graphqlHttpClient } from './support/graphqlHttp.ts';
import { health } from './support/health.ts';
import { Histogram } from './support/histogram.ts';
import { cpuTimeMs, machineBusySince, machineCpuTicks } from './support/procStat.ts';
import { scratchMysqlDatabase } from './support/scratchDatabases.ts';
import { seedUsers, type SeededUser } from './support/seedUsers.ts';
import { serverCpuUs, startThrdsServer, type ServerHandle } from './support/serverProcesses.ts';
import { fmt } from './support/table.ts';
import { waitFor } from '../test/support/waitFor.ts';
import { waitForDrain } from './support/drain.ts';

type Path = 'public' | 'viewer' | 'sameUser';

const label: Readonly<Record<Path, string>> = {
  public: 'public threadEvents (one shared group)',
  viewer: 'myThreads, one user per subscriber (viewer-scoped)',
  sameUser: 'myThreads, all subscribers one user',
};

const MY_THREADS = `subscription MyThreads { myThreads { reason position thread { id unreadCount } } }`;
const THREAD_POSITIONS = `subscription Public($t: ID!) { threadEvents(threadId: $t) { ... on MessagePosted { position message { id } } } }`;

interface PathResult {
  readonly path: Path;
  readonly connectMs: number;
  readonly posted: number;
  readonly postFailures: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly deliveries: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly unknown: number;
  /** Missing updates followed by a later one of the thread (dropped by design for a subscriber that fell behind); not in `lost`. */
  readonly superseded: number;
  readonly outstanding: number;
  readonly drained: boolean;
  readonly deliveriesPerSecond: number;
  readonly serverCpuMs: number;
  readonly cpuUsPerDelivery: number;
  readonly cpuMsPerPost: number;
  readonly executionsPerPost: number;
  readonly clientCpuShares: readonly number[];
  readonly machineBusy: number;
  readonly postP50: number;
  /** `unreadCount` each subscriber saw with the last post, against the number of messages in the thread. */
  readonly unreadNote: string;
  readonly errors: readonly string[];
}

interface Setup {
  readonly server: ServerHandle;
  readonly poster: BenchChild;
  readonly threadId: string;
  readonly n: number;
  readonly messages: number;
  readonly rate: number;
  readonly drainMs: number;
  /** THRDS_BENCH_CPU_PROFILE: profile the server during each path's phase into this directory. */
  readonly profileDir: string | undefined;
}

async function runPath(setup: Setup, path: Path, users: readonly SeededUser[]): Promise<PathResult> {
  const { server, poster, threadId, n } = setup;
  const processes = n >= 1000 ? 2 : 1;
  const children = Array.from({ length: processes }, (_, i) =>
    spawnBenchChild('bench/clients/positionSubscribers.ts', { name: `${path} subscribers #${i + 1}`, openFiles: Math.ceil(n / processes) + 1024 }),
  );
  try {
    await Promise.all(children.map((child) => child.next('started', 30_000)));
    const tokens = Array.from({ length: n }, (_, i) => (path === 'sameUser' ? users[0] : users[i])?.token ?? '');
    const perProcess = Math.ceil(n / processes);
    const started = performance.now();
    const connected = await Promise.all(
      children.map((child, i) => {
        const request: PositionConnectRequest = {
          type: 'connect',
          url: `ws://127.0.0.1:${server.port}/graphql`,
          tokens: tokens.slice(i * perProcess, (i + 1) * perProcess),
          query: path === 'public' ? THREAD_POSITIONS : MY_THREADS,
          variables: path === 'public' ? { t: threadId } : {},
          concurrency: 64,
        };
        return child.request<{ type: 'connected'; failed: number; errors: string[] }>(request, 'connected', 180_000);
      }),
    );
    const failed = connected.reduce((s, c) => s + c.failed, 0);
    if (failed > 0) throw new Error(`${failed} of ${n} ${label[path]} subscribers failed to connect: ${connected.flatMap((c) => c.errors).slice(0, 3).join('; ')}`);
    const connectMs = performance.now() - started;

    const progress = async (head?: number) => {
      const replies = await Promise.all(
        children.map((child) => child.request<{ type: 'progress'; received: number; ready: number; atHead: number }>({ type: 'progress', head }, 'progress', 60_000)),
      );
      return { received: replies.reduce((s, r) => s + r.received, 0), ready: replies.reduce((s, r) => s + r.ready, 0), atHead: replies.reduce((s, r) => s + r.atHead, 0) };
    };

    // Warm-up: a message every 250 ms until every subscription has delivered one, then until all have the last.
    let lastPost = 0;
    let seen = { received: 0, ready: 0, atHead: 0 };
    await waitFor(
      async () => {
        if (performance.now() - lastPost > 250) {
          lastPost = performance.now();
          await poster.request({ type: 'postOne' }, 'posted', 30_000);
        }
        seen = await progress();
        return seen.ready >= n;
      },
      { what: `warm-up: every one of ${n} ${label[path]} subscribers to receive a message`, timeoutMs: 60_000, intervalMs: 50, seen: () => `${seen.ready} received` },
    );
    const { position: head } = await poster.request<{ type: 'head'; position: number }>({ type: 'head' }, 'head', 10_000);
    await waitFor(async () => (seen = await progress(head)).atHead >= n, {
      what: `every ${label[path]} subscriber to receive the last warm-up message`,
      timeoutMs: 30_000,
      intervalMs: 50,
      seen: () => `${seen.atHead} have it`,
    });

    await Promise.all(children.map((child) => child.request({ type: 'phase', after: head }, 'armed', 30_000)));
    if (setup.profileDir) await server.child.request({ type: 'profileStart' }, 'profiling', 30_000);
    const executionsBefore = (await health(server.baseUrl)).sharedExecutions;
    const cpuBefore = cpuTimeMs(server.child.pid);
    const machineBefore = machineCpuTicks();
    const ran = await poster.request<PositionPosterRan>({ type: 'run', messages: setup.messages, rate: setup.rate }, 'ran', setup.drainMs + 120_000);
    const expected = n * ran.probes.length;
    const drained = await waitForDrain(async () => (await progress()).received, expected, setup.drainMs);
    const serverCpuMs = cpuTimeMs(server.child.pid) - cpuBefore;
    const machineBusy = machineBusySince(machineBefore);
    const executions = (await health(server.baseUrl)).sharedExecutions - executionsBefore;
    if (setup.profileDir) {
      const file = join(setup.profileDir, `viewerFanout-${path}-N${n}.cpuprofile`);
      await server.child.request({ type: 'profileStop', file }, 'profiled', 120_000);
      const summary = summarize(JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof summarize>[0], 30);
      writeFileSync(file.replace(/\.cpuprofile$/, '.txt'), summary);
      console.error(`[viewerFanout] CPU profile of ${label[path]}: ${file}\n${summary}`);
    }
    const reports = await Promise.all(children.map((child) => child.request<PositionReport>({ type: 'report', probes: ran.probes }, 'report', 60_000)));
    const histogram = Histogram.from(reports.map((r) => r.histogram));
    const unique = reports.reduce((s, r) => s + r.unique, 0);
    const superseded = reports.reduce((s, r) => s + r.superseded, 0);
    const deliveries = reports.reduce((s, r) => s + r.received, 0);
    const wallMs = Math.max(...reports.map((r) => r.wallMs));
    const unread = new Map<number, number>();
    for (const [value, count] of reports.flatMap((r) => r.lastUnreadCounts)) unread.set(value, (unread.get(value) ?? 0) + count);
    const unreadNote =
      path === 'public'
        ? ''
        : `unreadCount with the last post: ${[...unread.entries()].map(([value, count]) => `${value} (${count} subscribers)`).join(', ') || 'none seen'}, messages in the thread ${ran.postedInAll}`;
    return {
      path,
      connectMs,
      posted: ran.probes.length,
      postFailures: ran.failed,
      p50: histogram.quantile(0.5),
      p99: histogram.quantile(0.99),
      max: histogram.max,
      deliveries,
      // The public path must deliver every post; myThreads may skip an update a later one of the thread replaces.
      lost: drained ? expected - unique - (path === 'public' ? 0 : superseded) : 0,
      duplicates: reports.reduce((s, r) => s + r.duplicates, 0),
      outOfOrder: reports.reduce((s, r) => s + r.outOfOrder, 0),
      unknown: reports.reduce((s, r) => s + r.unknown, 0),
      superseded,
      outstanding: drained ? 0 : expected - unique,
      drained,
      deliveriesPerSecond: wallMs > 0 ? (deliveries / wallMs) * 1000 : 0,
      serverCpuMs,
      cpuUsPerDelivery: deliveries > 0 ? (serverCpuMs * 1000) / deliveries : Number.NaN,
      cpuMsPerPost: ran.probes.length > 0 ? serverCpuMs / ran.probes.length : Number.NaN,
      executionsPerPost: ran.probes.length > 0 ? executions / ran.probes.length : Number.NaN,
      clientCpuShares: reports.map((r) => r.cpuShare),
      machineBusy,
      postP50: ran.postP50,
      unreadNote,
      errors: [...ran.errors, ...reports.flatMap((r) => r.errors)].slice(0, 10),
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

function integrity(r: PathResult): string {
  const parts = [`lost ${r.lost}, dup ${r.duplicates}, out-of-order ${r.outOfOrder}`];
  if (r.superseded) parts.push(`${r.superseded} updates superseded by a later one of the thread (${r.path === 'public' ? 'counted as lost' : 'allowed: a subscriber that falls behind keeps the newest'})`);
  if (r.unknown) parts.push(`${r.unknown} deliveries of positions nobody posted`);
  if (r.postFailures) parts.push(`${r.postFailures} posts FAILED`);
  if (!r.drained) parts.push(`NOT DRAINED: ${r.outstanding} deliveries outstanding at the deadline`);
  if (r.errors.length) parts.push(`errors: ${r.errors.slice(0, 2).join(' | ')}`);
  return parts.join(', ');
}

function clients(r: PathResult): string {
  const saturated = r.clientCpuShares.some((s) => s >= 0.9);
  return `subscriber procs CPU ${r.clientCpuShares.map((s) => `${Math.round(s * 100)}%`).join('/')}${saturated ? ' (SATURATED: client-bound)' : ''}; machine ${Math.round(r.machineBusy * 100)}% busy`;
}

export const run: BenchModule = async (options) => {
  const quick = options.quick;
  const n = Number(process.env.THRDS_BENCH_VIEWER_SUBSCRIBERS ?? (quick ? 100 : 1000));
  // 2 msg/s at N = 1,000: a rate the public path carries with room to spare, and about what the viewer-scoped path (~N executions a post) can on 2 cores.
  const rate = Number(process.env.THRDS_BENCH_VIEWER_RATE ?? (quick ? 10 : 2));
  const messages = quick ? 20 : 40;
  const database = scratchMysqlDatabase(options.mysqlUrl);
  const results: PathResult[] = [];
  const stops: (() => Promise<void>)[] = [() => database.drop()];
  let postCpuUs = Number.NaN;
  try {
    const seedStarted = performance.now();
    const users = await seedUsers(database.url, 'viewer_', n + 1);
    const posterUser = users[n];
    if (!posterUser) throw new Error('no poster user');
    console.error(`[viewerFanout] ${n + 1} users seeded in ${fmt((performance.now() - seedStarted) / 1000)} s`);
    const server = await startThrdsServer({ databaseUrl: database.url, openFiles: n + 1024 });
    stops.push(() => server.stop());
    const setupClient = graphqlHttpClient(server.baseUrl, 4);
    const threadId = await createThread(setupClient, posterUser.token, 'viewer-scoped fan-out bench').finally(() => setupClient.close());
    const poster = spawnBenchChild('bench/clients/positionPoster.ts', { name: 'poster' });
    stops.push(() => poster.stop());
    await poster.next('started', 30_000);
    const config: PositionPosterConfig = { type: 'config', baseUrl: server.baseUrl, token: posterUser.token, threadId };
    await poster.request(config, 'configured', 10_000);
    // The server's CPU per post with nobody subscribed: the part of "per post" that is the append itself.
    const before = await serverCpuUs(server);
    const idle = await poster.request<PositionPosterRan>({ type: 'run', messages: quick ? 10 : 50, rate: 50 }, 'ran', 120_000);
    postCpuUs = ((await serverCpuUs(server)) - before) / Math.max(1, idle.probes.length);

    const profileDir = process.env.THRDS_BENCH_CPU_PROFILE ? join(repoRoot, 'bench/results/profiles') : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const setup: Setup = { server, poster, threadId, n, messages, rate, drainMs: quick ? 15_000 : 120_000, profileDir };
    const only = process.env.THRDS_BENCH_VIEWER_PATHS?.split(',') ?? [];
    for (const path of (['public', 'viewer', 'sameUser'] as const).filter((p) => only.length === 0 || only.includes(p))) {
      const r = await runPath(setup, path, users.slice(0, n));
      results.push(r);
      console.error(`[viewerFanout] N=${n} ${label[path]}: connect ${fmt(r.connectMs)} ms, p99 ${fmt(r.p99)} ms, ${fmt(r.cpuUsPerDelivery)} µs/delivery, ${fmt(r.executionsPerPost)} executions/post, ${integrity(r)}`);
      // The next path starts once the server has let every socket of this one go.
      await waitFor(async () => (await health(server.baseUrl)).connections === 0, { what: 'the server to close every subscriber socket', timeoutMs: 30_000, intervalMs: 100 });
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(`[viewerFanout] cleanup: ${String(error)}`));
  }

  const base = results.find((r) => r.path === 'public');
  const rows: BenchRow[] = [];
  const at = `N=${n}, ${rate} msg/s`;
  for (const r of results) {
    const isBase = r.path === 'public';
    const withRatio = (value: number, baseValue: number | undefined): Pick<BenchRow, 'baseline' | 'ratio'> =>
      !isBase && baseValue !== undefined ? { baseline: { name: label.public, value: baseValue }, ratio: value / baseValue } : {};
    const what = isBase ? 'the baseline: one execution per post shared by all' : r.path === 'viewer' ? 'ratio = viewer-scoped ÷ public: the price of a result per user' : 'one user on N sockets shares one group: should cost like the public path (ratio ≈ 1)';
    rows.push({
      name: `viewer fan-out ${at}: p99 latency, ${label[r.path]}`,
      value: r.p99,
      unit: 'ms',
      ...withRatio(r.p99, base?.p99),
      note: `${what}; p50 ${fmt(r.p50)} ms, max ${fmt(r.max)} ms from the start of the post; post p50 ${fmt(r.postP50)} ms; ${integrity(r)}; ${clients(r)}`,
    });
    rows.push({
      name: `viewer fan-out ${at}: deliveries/s, ${label[r.path]}`,
      value: r.deliveriesPerSecond,
      unit: 'deliveries/s',
      ...withRatio(r.deliveriesPerSecond, base?.deliveriesPerSecond),
      note: `${r.deliveries} deliveries of ${r.posted} posts; at a fixed rate the most is N × rate = ${n * rate}/s: less means the server fell behind`,
    });
    rows.push({
      name: `viewer fan-out ${at}: server CPU per delivery, ${label[r.path]}`,
      value: r.cpuUsPerDelivery,
      unit: 'µs/delivery',
      ...withRatio(r.cpuUsPerDelivery, base?.cpuUsPerDelivery),
      note: `${fmt(r.serverCpuMs)} ms server CPU (/proc) over the phase; ${fmt(r.executionsPerPost)} executions per post (gateway count); ${r.unreadNote || 'what a shared result costs per socket'}`,
    });
    rows.push({
      name: `viewer fan-out ${at}: server CPU per post, ${label[r.path]}`,
      value: r.cpuMsPerPost,
      unit: 'ms/post',
      ...withRatio(r.cpuMsPerPost, base?.cpuMsPerPost),
      note: `of which ~${fmt(postCpuUs / 1000)} ms is the post itself (CPU per post with no subscriber); the rest is fan-out to ${n} sockets`,
    });
  }
  rows.push({
    name: `viewer fan-out ${at}: lost + duplicated + out-of-order, all paths`,
    value: results.reduce((s, r) => s + r.lost + r.duplicates + r.outOfOrder + r.unknown, 0),
    unit: 'deliveries',
    note: `must be 0; ${results.map((r) => `${r.path}: ${integrity(r)}`).join('; ')}`,
  });
  return rows;
};
