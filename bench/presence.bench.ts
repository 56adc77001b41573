/**
 * Presence at 1,000 people (issue 13). Every person is signed in over
 * WebSocket (one in four with a second tab), the first tab holding a
 * `threadEvents` subscription (so the person has the thread open). Watchers
 * subscribe to `presence { people connections }` (everyone) or
 * `presence(threadId:)`. The crowd joins at a steady rate, churns (people
 * leave and come back, threads are closed and reopened) at a steady rate,
 * comes back, and leaves at a steady rate. Reported: presence updates per
 * second per watcher against the changes per second an uncoalesced
 * presence would send (coalescing must keep them to a few a second), all
 * frames per second, server CPU per 1,000 joins and leaves (/proc), and
 * whether the counts every watcher ends on (and `Query.online`) equal the
 * truth once everyone joined and once everyone left.
 */
import type { BenchModule, BenchRow } from './types.ts';
import type { Counts, Scope, WatchRequest, WindowReport } from './clients/presenceWatchers.ts';
import type { CrowdConfig, PhaseDone } from './clients/presenceCrowd.ts';
import { spawnBenchChild, type BenchChild } from './support/childProcesses.ts';
import { createThread, graphqlHttpClient, type GraphqlHttpClient } from './support/graphqlHttp.ts';
import { cpuTimeMs, machineBusySince, machineCpuTicks } from './support/procStat.ts';
import { scratchMysqlDatabase } from './support/scratchDatabases.ts';
import { seedUsers } from './support/seedUsers.ts';
import { startThrdsServer, type ServerHandle } from './support/serverProcesses.ts';
import { fmt } from './support/table.ts';
import { waitFor } from '../test/support/waitFor.ts';

const ONLINE = `query Online($t: ID!) { online { people connections } thread(id: $t) { online { people connections } } }`;

interface OnlineReply {
  online: Counts;
  thread: { online: Counts } | null;
}

type Truth = Readonly<Record<Scope, Counts>>;

interface Phase {
  readonly done: PhaseDone;
  readonly serverCpuMs: number;
  readonly machineBusy: number;
  /** From the last operation to every watcher showing the truth (ms), or undefined when no truth was awaited. */
  readonly settledMs: number | undefined;
}

interface Checked {
  readonly differs: number;
  readonly note: string;
}

const sameCounts = (a: Counts | undefined, b: Counts) => a?.people === b.people && a.connections === b.connections;
const show = (c: Counts | undefined) => (c ? `${c.people} people/${c.connections} connections` : 'none');

async function matching(watchers: BenchChild, scope: Scope, truth: Counts): Promise<{ type: 'matching'; matched: number; values: Record<string, number>; errors: string[] }> {
  return watchers.request({ type: 'matching', scope, truth }, 'matching', 30_000);
}

/** Waits until every watcher of both scopes shows `truth`; ms waited, or undefined when it did not happen within `timeoutMs`. */
async function settle(watchers: BenchChild, counts: Readonly<Record<Scope, number>>, truth: Truth, timeoutMs: number): Promise<number | undefined> {
  const started = performance.now();
  try {
    await waitFor(
      async () => (await matching(watchers, 'all', truth.all)).matched >= counts.all && (await matching(watchers, 'thread', truth.thread)).matched >= counts.thread,
      { what: 'every watcher to show the truth', timeoutMs, intervalMs: 25 },
    );
    return performance.now() - started;
  } catch {
    // Reported in the row (the values every watcher ended on, against the truth), not thrown: the other figures still stand.
    return undefined;
  }
}

async function measured(server: ServerHandle, run: () => Promise<PhaseDone>, after: () => Promise<number | undefined>): Promise<Phase> {
  const cpuBefore = cpuTimeMs(server.child.pid);
  const machineBefore = machineCpuTicks();
  const done = await run();
  const settledMs = await after();
  return { done, serverCpuMs: cpuTimeMs(server.child.pid) - cpuBefore, machineBusy: machineBusySince(machineBefore), settledMs };
}

/** Four views against the truth (Query.online, Thread.online, the watchers of everyone, of the thread): how many differ, and what each showed. */
async function check(watchers: BenchChild, counts: Readonly<Record<Scope, number>>, client: GraphqlHttpClient, threadId: string, truth: Truth, settledMs: number | undefined): Promise<Checked> {
  const all = await matching(watchers, 'all', truth.all);
  const thread = await matching(watchers, 'thread', truth.thread);
  const online = await client.request<OnlineReply>(ONLINE, { t: threadId });
  const differs = [!sameCounts(online.online, truth.all), !sameCounts(online.thread?.online, truth.thread), all.matched < counts.all, thread.matched < counts.thread].filter(Boolean).length;
  const seen = (values: Record<string, number>) => Object.entries(values).map(([value, count]) => `${value} (${count})`).join(', ');
  return {
    differs,
    note:
      `truth: everyone ${show(truth.all)}, thread ${show(truth.thread)}; Query.online ${show(online.online)}, Thread.online ${show(online.thread?.online)}; ` +
      `watchers' last values (people/connections: watchers) everyone ${seen(all.values)}, thread ${seen(thread.values)}` +
      (settledMs === undefined ? '; watchers did NOT all reach the truth in time' : `; every watcher showed it ${fmt(settledMs)} ms after the last change`) +
      (all.errors.length ? `; errors: ${all.errors.slice(0, 2).join(' | ')}` : ''),
  };
}

export const run: BenchModule = async (options) => {
  const quick = options.quick;
  const peopleCount = Number(process.env.THRDS_BENCH_PRESENCE_PEOPLE ?? (quick ? 100 : 1000));
  const watcherCounts: Record<Scope, number> = quick ? { all: 8, thread: 2 } : { all: 40, thread: 10 };
  const watcherTotal = watcherCounts.all + watcherCounts.thread;
  const joinRate = quick ? 100 : 250;
  const churnRate = quick ? 60 : 150;
  const churnMs = quick ? 3000 : 10_000;
  const database = scratchMysqlDatabase(options.mysqlUrl);
  const stops: (() => Promise<void>)[] = [() => database.drop()];
  const rows: BenchRow[] = [];
  try {
    const users = await seedUsers(database.url, 'present_', peopleCount + watcherTotal);
    const people = users.slice(0, peopleCount).map((u, i) => ({ token: u.token, tabs: i % 4 === 0 ? 2 : 1 }));
    const connections = people.reduce((s, p) => s + p.tabs, 0);
    const watcherTokens = users.slice(peopleCount).map((u) => u.token);
    const server = await startThrdsServer({ databaseUrl: database.url, openFiles: connections + watcherTotal + 1024 });
    stops.push(() => server.stop());
    const client = graphqlHttpClient(server.baseUrl, 4);
    stops.push(async () => client.close());
    const threadId = await createThread(client, watcherTokens[0] ?? '', 'presence bench');
    const url = `ws://127.0.0.1:${server.port}/graphql`;

    const watchers = spawnBenchChild('bench/clients/presenceWatchers.ts', { name: 'presence watchers', openFiles: watcherTotal + 1024 });
    stops.push(() => watchers.stop());
    const crowd = spawnBenchChild('bench/clients/presenceCrowd.ts', { name: 'presence crowd', openFiles: connections + 1024 });
    stops.push(() => crowd.stop());
    await Promise.all([watchers.next('started', 30_000), crowd.next('started', 30_000)]);
    const watch = (scope: Scope, tokens: readonly string[]): WatchRequest => ({ type: 'watch', url, tokens, scope, threadId });
    await watchers.request(watch('all', watcherTokens.slice(0, watcherCounts.all)), 'watching', 60_000);
    await watchers.request(watch('thread', watcherTokens.slice(watcherCounts.all)), 'watching', 60_000);
    const config: CrowdConfig = { type: 'config', url, threadId, people };
    await crowd.request(config, 'configured', 10_000);

    // The watchers are signed-in connections too (of the whole server, not of the thread).
    const nobody: Truth = { all: { people: watcherTotal, connections: watcherTotal }, thread: { people: 0, connections: 0 } };
    const everyone: Truth = { all: { people: peopleCount + watcherTotal, connections: connections + watcherTotal }, thread: { people: peopleCount, connections: peopleCount } };
    if ((await settle(watchers, watcherCounts, nobody, 30_000)) === undefined) {
      throw new Error(`the watchers never showed the empty server: ${(await check(watchers, watcherCounts, client, threadId, nobody, undefined)).note}`);
    }
    const settleMs = quick ? 10_000 : 20_000;
    const joining = await measured(server, () => crowd.request<PhaseDone>({ type: 'join', rate: joinRate }, 'done', 180_000), () => settle(watchers, watcherCounts, everyone, settleMs));
    const joined = await check(watchers, watcherCounts, client, threadId, everyone, joining.settledMs);
    const churning = await measured(server, () => crowd.request<PhaseDone>({ type: 'churn', rate: churnRate, durationMs: churnMs }, 'done', 180_000), async () => undefined);
    const back = await measured(server, () => crowd.request<PhaseDone>({ type: 'restore' }, 'done', 180_000), () => settle(watchers, watcherCounts, everyone, settleMs));
    const afterChurn = await check(watchers, watcherCounts, client, threadId, everyone, back.settledMs);
    const leaving = await measured(server, () => crowd.request<PhaseDone>({ type: 'leave', rate: joinRate }, 'done', 180_000), () => settle(watchers, watcherCounts, nobody, settleMs));
    const left = await check(watchers, watcherCounts, client, threadId, nobody, leaving.settledMs);

    const windowOf = (scope: Scope, phase: Phase) =>
      watchers.request<WindowReport>({ type: 'window', scope, from: phase.done.startedAt, to: phase.done.endedAt }, 'window', 30_000);
    const seconds = (phase: Phase) => (phase.done.endedAt - phase.done.startedAt) / 1000;
    const perWatcher = (w: WindowReport, phase: Phase) => w.updates.reduce((s, u) => s + u, 0) / Math.max(1, w.updates.length) / seconds(phase);
    const churnAll = await windowOf('all', churning);
    const churnThread = await windowOf('thread', churning);
    const joinAll = await windowOf('all', joining);
    const leaveAll = await windowOf('all', leaving);
    const at = `${peopleCount} people`;
    const movesNote = `churn: ${churning.done.personJoins} joins + ${churning.done.personLeaves} leaves of people and ${churning.done.threadChanges} thread opens/closes in ${fmt(seconds(churning))} s (${churnRate} operations/s)`;

    rows.push({
      name: `presence ${at}: updates/s per watcher of everyone, churning`,
      value: perWatcher(churnAll, churning),
      unit: 'updates/s',
      baseline: { name: 'connection joins + leaves/s (one update each, uncoalesced)', value: churning.done.connectionChanges / seconds(churning) },
      ratio: perWatcher(churnAll, churning) / (churning.done.connectionChanges / seconds(churning)),
      note: `must stay at most a few a second (coalesced); max ${churnAll.maxInOneSecond} within one second for any of ${watcherCounts.all} watchers; ${churnAll.repeats} updates repeated the counts before (the people changed, not their number); ${movesNote}; while joining (${joinRate} people/s) ${fmt(perWatcher(joinAll, joining))}/s (max ${joinAll.maxInOneSecond} in 1 s), while leaving ${fmt(perWatcher(leaveAll, leaving))}/s (max ${leaveAll.maxInOneSecond} in 1 s)`,
    });
    rows.push({
      name: `presence ${at}: updates/s per watcher of the thread, churning`,
      value: perWatcher(churnThread, churning),
      unit: 'updates/s',
      baseline: { name: 'thread opens + closes/s (uncoalesced)', value: churning.done.threadChanges / seconds(churning) },
      ratio: perWatcher(churnThread, churning) / (churning.done.threadChanges / seconds(churning)),
      note: `must stay at most a few a second; max ${churnThread.maxInOneSecond} within one second for any of ${watcherCounts.thread} watchers; ${churnThread.repeats} repeats`,
    });
    const watcherUpdates = [...churnAll.updates, ...churnThread.updates].reduce((s, u) => s + u, 0);
    rows.push({
      name: `presence ${at}: frames/s sent, churning`,
      value: (watcherUpdates + churning.done.framesRead) / seconds(churning),
      unit: 'frames/s',
      note: `every frame the server sent to the watchers (${watcherUpdates} presence updates) and to the crowd (${churning.done.framesRead}: connection acks); ${movesNote}`,
    });
    const cpuRow = (what: string, phase: Phase, moves: number, extra: string): BenchRow => ({
      name: `presence ${at}: server CPU per 1,000 ${what}`,
      value: (phase.serverCpuMs / Math.max(1, moves)) * 1000,
      unit: 'ms/1k',
      note: `${fmt(phase.serverCpuMs)} ms server CPU (/proc) for ${moves} ${what} (${phase.done.connectionChanges} connections opened or closed, ${phase.done.threadChanges} thread opens/closes)${extra}; machine ${Math.round(phase.machineBusy * 100)}% busy${phase.done.failed ? `; ${phase.done.failed} joins FAILED: ${phase.done.errors.slice(0, 2).join(' | ')}` : ''}`,
    });
    rows.push(cpuRow('joins', joining, joining.done.personJoins, `, at ${joinRate}/s: a join is a WebSocket handshake, sign-in and a threadEvents subscription, so the figure is a join's whole cost, not only presence's`));
    rows.push(cpuRow('joins + leaves while churning', churning, churning.done.personJoins + churning.done.personLeaves, `, at ${churnRate} operations/s`));
    rows.push(cpuRow('leaves', leaving, leaving.done.personLeaves, `, at ${joinRate}/s`));
    rows.push({ name: `presence ${at}: counts that differ from the truth, all joined`, value: joined.differs, unit: 'views', note: `must be 0; ${joined.note}` });
    rows.push({ name: `presence ${at}: counts that differ from the truth, after churning`, value: afterChurn.differs, unit: 'views', note: `must be 0; ${afterChurn.note}` });
    rows.push({ name: `presence ${at}: counts that differ from the truth, all left`, value: left.differs, unit: 'views', note: `must be 0 (only the watchers remain online); ${left.note}` });
    return rows;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(`[presence] cleanup: ${String(error)}`));
  }
};
