/**
 * One outage under load, measured: writers and a reader run against a server
 * process while /healthz and /readyz are polled; the fault is injected, held,
 * and lifted; then every post that failed is retried with its own key and the
 * store is compared with what clients were told.
 */
import { expect } from 'vitest';
import type { ServerProcess } from '../../support/serverProcess.ts';
import { isProperUnavailable, maxMs, type Outcome, summarize } from './faultClient.ts';
import { compare, type Discrepancies, readStore } from './logCheck.ts';
import { excessOverControl, msUntilStatus, type Sample, slowest, startProbe, timeline } from './probes.ts';
import { acknowledgedKeys, type Author, newAuthor, postOnce, retryFailed, startLoad } from './workload.ts';

export interface Fault {
  readonly name: string;
  inject(): Promise<void> | void;
  lift(): Promise<void> | void;
}

export interface OutageOptions {
  readonly server: ServerProcess;
  /** The URL the test reads the store through afterwards (not through a proxy). */
  readonly storeUrl: string;
  readonly fault: Fault;
  readonly outageMs: number;
  readonly writers?: number;
  /** Load before the fault and after it is lifted. */
  readonly beforeMs?: number;
  readonly afterMs?: number;
}

export interface OutageResult {
  readonly name: string;
  readonly author: Author;
  /** performance.now() when inject() was called and when it returned (the fault in full effect). */
  readonly injectingAt: number;
  readonly injectedAt: number;
  /** performance.now() when lift() was called and when it returned (the dependency back). */
  readonly liftingAt: number;
  readonly liftedAt: number;
  readonly posts: readonly Outcome[];
  readonly reads: readonly Outcome[];
  readonly retries: readonly Outcome[];
  readonly unacknowledgedAfterRetry: readonly string[];
  readonly health: readonly Sample[];
  /** A do-nothing process polled alongside /healthz: the machine's own latency at the time. */
  readonly control: readonly Sample[];
  readonly ready: readonly Sample[];
  readonly store: Discrepancies;
  readonly verifyFinding: string | undefined;
  /** Server output lines written during the run. */
  readonly logLines: number;
  /** Of those, lines that carry a stack trace (a frame, or a JSON "stack"). */
  readonly stackLines: number;
  /** The first lines written during the run, for the report. */
  readonly logSample: readonly string[];
  readonly startedAt: number;
}

/** The phases of an outage are held for a time: their length is what is under test, not a wait for something. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runOutage(options: OutageOptions): Promise<OutageResult> {
  const { server, fault } = options;
  const author = await newAuthor(server.base);
  // Warm-up: the first requests compile code paths; that is start-up, not the fault.
  const warmup = await Promise.all(Array.from({ length: 4 }, (_, i) => postOnce(server.base, author, `${fault.name}-warmup-${i}`)));
  if (!warmup.every((o) => o.ok)) throw new Error(`the warm-up posts failed before any fault: ${summarize(warmup)}`);
  const health = await startProbe(server.base, '/healthz', { intervalMs: 50, control: true });
  const ready = await startProbe(server.base, '/readyz', { intervalMs: 100 });
  const startedAt = performance.now();
  const linesBefore = server.lines.length;
  const load = startLoad(server.base, author, { writers: options.writers ?? 4, pauseMs: 100, prefix: `${fault.name}-${Date.now().toString(36)}`, reader: true });
  await sleep(options.beforeMs ?? 1000);
  const injectingAt = performance.now();
  await fault.inject();
  const injectedAt = performance.now();
  await sleep(options.outageMs);
  const liftingAt = performance.now();
  await fault.lift();
  const liftedAt = performance.now();
  await sleep(options.afterMs ?? 5000);
  await load.stop();
  await health.stop();
  await ready.stop();
  const written = server.lines.slice(linesBefore);
  const logLines = written.length;
  const stackLines = written.filter((l) => /^\s{2,}at\s|"stack"\s*:/.test(l.text)).length;
  const { retries, unacknowledged } = await retryFailed(server.base, author, load.posts);
  const contents = await readStore(options.storeUrl, author.threadId);
  const store = compare(contents, acknowledgedKeys(warmup, load.posts, retries));
  const finding = contents.verify.finding;
  return {
    name: fault.name,
    author,
    injectingAt,
    injectedAt,
    liftingAt,
    liftedAt,
    posts: load.posts,
    reads: load.reads,
    retries,
    unacknowledgedAfterRetry: unacknowledged,
    health: health.samples,
    control: health.control,
    ready: ready.samples,
    store,
    verifyFinding: finding ? `${finding.kind} at ${finding.position}: ${finding.detail}` : undefined,
    logLines,
    stackLines,
    logSample: written.slice(0, 12).map((l) => `${Math.round(l.at - injectedAt)}ms ${l.text.slice(0, 300)}`),
    startedAt,
  };
}

/** The figures worth reporting, one line. */
export function describeOutage(r: OutageResult): string {
  const during = r.posts.filter((p) => p.startedAt >= r.injectedAt && p.startedAt < r.liftingAt);
  const excess = excessOverControl(r.health, r.control);
  return [
    `[${r.name}] posts ${r.posts.length} (${summarize(r.posts)})`,
    `during outage: ${summarize(during)}`,
    `reads ${r.reads.length} (${summarize(r.reads)})`,
    `max post ${Math.round(maxMs(r.posts))} ms, max read ${Math.round(maxMs(r.reads))} ms`,
    `healthz max ${Math.round(slowest(r.health)?.ms ?? NaN)} ms over ${r.health.length} (control process max ${Math.round(slowest(r.control)?.ms ?? NaN)} ms); max excess over control ${Math.round(Math.max(...excess.map((x) => x.excess)))} ms`,
    `fault: inject took ${Math.round(r.injectedAt - r.injectingAt)} ms, lift took ${Math.round(r.liftedAt - r.liftingAt)} ms`,
    `readyz 503 after ${Math.round(msUntilStatus(r.ready, 503, r.injectedAt))} ms, 200 after ${Math.round(msUntilStatus(r.ready, 200, r.liftedAt))} ms of lift`,
    `readyz timeline: ${timeline(r.ready, r.injectedAt)}`,
    `retries ${r.retries.length} (${summarize(r.retries)}), unacknowledged after retry ${r.unacknowledgedAfterRetry.length}`,
    `store: lost ${r.store.lost.length}, unprojected ${r.store.unprojected.length}, duplicated ${r.store.duplicated.length}, never acknowledged ${r.store.unacknowledged.length}; verify ${r.verifyFinding ?? 'ok'}`,
    `healthz over 100 ms (ms from the fault; control at the time): ${excess.filter((s) => s.ms >= 100).map((s) => `${Math.round(s.ms)} ms at ${Math.round(s.at - r.injectedAt)} (control ${Math.round(s.controlMs)})`).join(', ') || 'none'}`,
    `server log lines during run ${r.logLines} (${r.stackLines} with a stack trace); first ones (ms from the fault):`,
    ...r.logSample.map((l) => `    ${l}`),
  ].join('\n  ');
}

export interface OutageExpectations {
  readonly deadlineMs: number;
  /** A fault that must make writes fail (stall, cut, lock, full disk); false for Redis. */
  readonly writesFail: boolean;
  /** Check /readyz (503 within 2 s of the fault, 200 within 2 s of its end). */
  readonly readiness: boolean;
  /** Max server log lines over the whole run (undefined: not checked). */
  readonly maxLogLines?: number;
}

/** The contract of issue 10 ("How it is proven"), checked softly so that one run reports every breach. */
export function expectOutageHandled(r: OutageResult, e: OutageExpectations): void {
  console.log(describeOutage(r));
  const report = `[${r.name}] (the figures are printed above)`;
  const bound = e.deadlineMs + 1000;
  const slowPosts = r.posts.filter((p) => p.ms > bound);
  expect.soft(slowPosts.length, `${report} posts slower than deadline + 1 s (${bound} ms): ${summarize(slowPosts)}`).toBe(0);
  const slowReads = r.reads.filter((p) => p.ms > bound);
  expect.soft(slowReads.length, `${report} reads slower than deadline + 1 s (${bound} ms): ${summarize(slowReads)}`).toBe(0);
  const improper = [...r.posts, ...r.reads].filter((o) => !o.ok && !isProperUnavailable(o));
  expect.soft(improper.length, `${report} failures that are not 503 + Retry-After + UNAVAILABLE/retryable: ${summarize(improper)}`).toBe(0);
  const during = r.posts.filter((p) => p.startedAt >= r.injectedAt && p.startedAt < r.liftingAt - bound);
  if (e.writesFail) expect.soft(during.filter((p) => !p.ok).length, `${report} the fault made no write fail: was it injected?`).toBeGreaterThan(0);
  else expect.soft(during.filter((p) => !p.ok).length, `${report} writes failed while only a non-essential dependency was down`).toBe(0);
  const late = r.posts.filter((p) => p.startedAt > r.liftedAt + bound);
  expect.soft(late.length, `${report} no posts after recovery`).toBeGreaterThan(0);
  expect.soft(late.filter((p) => !p.ok).length, `${report} posts sent more than ${bound} ms after the fault ended still failed: ${summarize(late.filter((p) => !p.ok))}`).toBe(0);
  // Within 100 ms of what a do-nothing process answered in at the same moment (two shared cores: see probes.ts).
  // A loop blocked by the fault shows as a run of slow samples (one is sent every 50 ms, so a 300 ms block
  // delays six in a row) or as one of seconds; a scheduler hiccup on a shared machine shows as scattered ones,
  // before the fault as often as during it (seen in CI with other suites busy: 8 of 145 samples, none two in a
  // row, three of them before the fault). So: no 5 slow samples in a row, under 10% slow in all (a loop
  // blocked 200 ms every second would be 20%), and none a second beyond the control.
  const excess = excessOverControl(r.health, r.control);
  const slow = excess.filter((s) => s.excess >= 100);
  expect.soft(r.health.length, `${report} /healthz samples`).toBeGreaterThan(10);
  expect.soft(longestRun(excess.map((s) => s.excess >= 100)), `${report} most /healthz answers in a row over 100 ms beyond the control process's`).toBeLessThan(5);
  expect.soft(slow.length / Math.max(1, r.health.length), `${report} share of /healthz answers over 100 ms beyond the control process's`).toBeLessThan(0.1);
  expect.soft(Math.max(0, ...excess.map((s) => s.excess)), `${report} /healthz slowest answer beyond the control process's (ms)`).toBeLessThan(1000);
  expect.soft(r.health.filter((s) => s.status !== 200).length, `${report} /healthz answers other than 200`).toBe(0);
  if (e.readiness) {
    expect.soft(r.ready.filter((s) => s.at + s.ms < r.injectingAt).every((s) => s.status === 200), `${report} /readyz was not 200 before the fault`).toBe(true);
    expect.soft(msUntilStatus(r.ready, 503, r.injectedAt), `${report} /readyz 503 after the fault (ms)`).toBeLessThanOrEqual(2000);
    expect.soft(msUntilStatus(r.ready, 200, r.liftedAt), `${report} /readyz 200 after the fault ended (ms)`).toBeLessThanOrEqual(2000);
  }
  expect.soft(r.unacknowledgedAfterRetry, `${report} keys never acknowledged despite retries`).toEqual([]);
  expect.soft(r.store.lost, `${report} acknowledged but not in the log`).toEqual([]);
  expect.soft(r.store.unprojected, `${report} acknowledged but not in the read model`).toEqual([]);
  expect.soft(r.store.duplicated, `${report} duplicated after idempotent retries`).toEqual([]);
  expect.soft(r.store.unacknowledged, `${report} in the log but never acknowledged`).toEqual([]);
  expect.soft(r.verifyFinding, `${report} log verification`).toBeUndefined();
  expect.soft(r.stackLines, `${report} server log lines with a stack trace (an expected failure logs none)`).toBe(0);
  if (e.maxLogLines !== undefined) expect.soft(r.logLines, `${report} server log lines over the run`).toBeLessThanOrEqual(e.maxLogLines);
}

/** The longest run of `true` in `flags`. */
function longestRun(flags: readonly boolean[]): number {
  let longest = 0;
  let run = 0;
  for (const flag of flags) {
    run = flag ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
