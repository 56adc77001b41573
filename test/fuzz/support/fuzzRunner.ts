/**
 * The fuzz loop shared by the suites: generate case i from (seed, i), run it
 * against the server, and after each case check what must always hold: the
 * process is alive, it logged no stack trace, the log head did not move, and
 * `/healthz` kept answering. A crash is recorded with the case that caused
 * it and the server is restarted, so one run lists every failure it can
 * reach. Bounded by a case count and a time budget, whichever comes first.
 */
import { WaitTimeoutError, waitFor } from '../../support/waitFor.ts';
import { type FuzzServer, STACK_LINE } from './fuzzServer.ts';
import { HealthWatch, readHealth } from './healthWatch.ts';
import { fuzzSeed } from './random.ts';

export interface Violation {
  readonly kind: string;
  readonly detail: string;
}

export interface CaseOutcome {
  readonly violations: readonly Violation[];
  /** The connection ended without an answer: give the process a moment to show whether it died. */
  readonly abrupt?: boolean;
}

export interface FuzzSuite<C> {
  /** Names the suite in the per-case seed and in messages. */
  readonly name: string;
  /** The test file, for the replay command. */
  readonly file: string;
  generate(seed: number, index: number): C;
  /** A short category (for counts). */
  label(c: C): string;
  /** What to send to reproduce the case by hand. */
  repro(c: C): string;
  run(c: C, server: FuzzServer): Promise<CaseOutcome>;
}

export interface FuzzSettings {
  readonly seed: number;
  readonly count: number;
  readonly budgetMs: number;
  readonly healthLimitMs: number;
  readonly caseTimeoutMs: number;
  readonly maxRestarts: number;
  /** THRDS_FUZZ_CASE: replay only these case indices. */
  readonly only: readonly number[] | undefined;
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0 (got ${raw})`);
  return value;
}

/** One seed for the whole file (so both stores replay the same cases). */
const seed = fuzzSeed();

export function fuzzSettings(defaults: { count: number; seconds: number }): FuzzSettings {
  const only = process.env.THRDS_FUZZ_CASE?.split(',').filter(Boolean).map(Number);
  return {
    seed,
    count: envNumber('THRDS_FUZZ_COUNT', defaults.count),
    budgetMs: envNumber('THRDS_FUZZ_SECONDS', defaults.seconds) * 1000,
    healthLimitMs: envNumber('THRDS_FUZZ_HEALTH_MS', 2000),
    caseTimeoutMs: 20_000,
    maxRestarts: envNumber('THRDS_FUZZ_MAX_RESTARTS', 20),
    only: only?.length ? only : undefined,
  };
}

export interface Failure extends Violation {
  readonly store: string;
  /** -1: found after the run (e.g. subscriptions left behind). */
  readonly index: number;
  readonly label: string;
  readonly repro: string;
}

export interface FuzzReport {
  readonly suite: string;
  readonly file: string;
  readonly store: string;
  readonly seed: number;
  readonly ran: number;
  readonly elapsedMs: number;
  readonly stoppedBecause: string;
  readonly slowestHealthMs: number;
  readonly failures: readonly Failure[];
}

/** Enough to see every kind; more only costs memory. */
const MAX_FAILURES = 1000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} not finished within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The lines of a crash log that say what happened (the error and its code), without the stack. */
export function crashSummary(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !STACK_LINE.test(l) && !/^\s*\^\s*$/.test(l) && !l.startsWith('Node.js v'));
  const telling = lines.filter((l) => /error|code|WS_ERR|throw|Unhandled|RangeError|Maximum call stack/i.test(l));
  return (telling.length ? telling : lines).slice(-6).join(' | ').slice(0, 600);
}

function stackSummary(stderr: string): string {
  const lines = stderr.split('\n');
  const first = lines.findIndex((l) => STACK_LINE.test(l));
  return lines
    .slice(Math.max(0, first - 2), first + 2)
    .join(' | ')
    .slice(0, 600);
}

export async function runFuzz<C>(suite: FuzzSuite<C>, server: FuzzServer, store: string, settings: FuzzSettings): Promise<FuzzReport> {
  const failures: Failure[] = [];
  const started = performance.now();
  let baseline = (await readHealth(server.baseUrl, 10_000)).position;
  let pending: Violation[] = [];
  const watch = new HealthWatch(server, settings.healthLimitMs, (detail) => pending.push({ kind: 'healthz unanswered', detail }));
  watch.start();
  const indices = settings.only ?? Array.from({ length: settings.count }, (_, i) => i);
  let ran = 0;
  let lastCase: { index: number; c: C } | undefined;
  let stoppedBecause = settings.only ? 'replayed the cases asked for' : `all ${settings.count} cases ran`;
  try {
    for (const index of indices) {
      if (performance.now() - started > settings.budgetMs) {
        stoppedBecause = `time budget of ${settings.budgetMs / 1000} s reached`;
        break;
      }
      const c = suite.generate(settings.seed, index);
      lastCase = { index, c };
      server.takeStderr();
      let outcome: CaseOutcome;
      try {
        outcome = await withTimeout(suite.run(c, server), settings.caseTimeoutMs, `case ${index}`);
      } catch (error) {
        outcome = { violations: [{ kind: 'no answer', detail: error instanceof Error ? error.message : String(error) }], abrupt: true };
      }
      ran += 1;
      const violations = [...outcome.violations, ...pending];
      pending = [];
      const exit = server.exit ?? (outcome.abrupt ? await server.waitForExit(300) : undefined);
      const stderr = server.takeStderr();
      if (STACK_LINE.test(stderr) && !exit) violations.push({ kind: 'stack trace in server log', detail: stackSummary(stderr) });
      if (exit) {
        violations.push({ kind: 'process exit', detail: `exit code ${exit.code}, signal ${exit.signal}: ${crashSummary(exit.stderrTail)}` });
      }
      if (!exit && server.alive) {
        try {
          const position = (await readHealth(server.baseUrl, settings.healthLimitMs)).position;
          if (position !== baseline) violations.push({ kind: 'events written', detail: `log head moved from ${baseline} to ${position}` });
          baseline = position;
        } catch (error) {
          const died = await server.waitForExit(300);
          if (died) violations.push({ kind: 'process exit', detail: `exit code ${died.code}, signal ${died.signal}: ${crashSummary(died.stderrTail)}` });
          else violations.push({ kind: 'healthz unanswered', detail: `after the case: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
      for (const v of violations.slice(0, MAX_FAILURES - failures.length)) failures.push({ ...v, store, index, label: suite.label(c), repro: suite.repro(c) });
      if (!server.alive) {
        if (server.restarts >= settings.maxRestarts) {
          stoppedBecause = `stopped after ${server.restarts} restarts (THRDS_FUZZ_MAX_RESTARTS)`;
          break;
        }
        await server.restart();
        const position = (await readHealth(server.baseUrl, 10_000)).position;
        if (position !== baseline) {
          failures.push({ kind: 'events written', detail: `log head moved from ${baseline} to ${position} (seen after a restart)`, store, index, label: suite.label(c), repro: suite.repro(c) });
        }
        baseline = position;
      }
    }
    // The server logs some failures just after it answers: a grace period for lines that may never come (no condition to wait on).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lateStderr = server.takeStderr();
    if (STACK_LINE.test(lateStderr) && lastCase !== undefined) {
      failures.push({ kind: 'stack trace in server log', detail: stackSummary(lateStderr), store, index: lastCase.index, label: suite.label(lastCase.c), repro: suite.repro(lastCase.c) });
    }
  } finally {
    await watch.stop();
  }
  for (const v of pending) failures.push({ ...v, store, index: -1, label: 'after the last case', repro: '' });
  if (server.alive) {
    const left = await connectionsLeft(server);
    if (left) failures.push({ kind: 'left behind after every client closed', detail: left, store, index: -1, label: 'after the last case', repro: '' });
  }
  return {
    suite: suite.name,
    file: suite.file,
    store,
    seed: settings.seed,
    ran,
    elapsedMs: performance.now() - started,
    stoppedBecause,
    slowestHealthMs: watch.slowestMs,
    failures,
  };
}

/** Every socket and stream of the run is closed: the server must come back to 0 connections and 0 subscriptions. */
async function connectionsLeft(server: FuzzServer): Promise<string | undefined> {
  let last = '';
  const closed = async () => {
    const health = await readHealth(server.baseUrl, 5000);
    last = `after 5 s: ${health.connections} connections, ${health.subscriptions} subscriptions, ${health.sseConnections ?? 0} SSE connections, ${health.sseSubscriptions ?? 0} SSE subscriptions`;
    return health.connections === 0 && health.subscriptions === 0 && (health.sseConnections ?? 0) + (health.sseSubscriptions ?? 0) === 0;
  };
  return waitFor(closed, { what: 'every connection to close', timeoutMs: 5000, intervalMs: 100 }).then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof WaitTimeoutError) return last;
      throw error;
    },
  );
}

/** Groups failures by kind and message (digits folded), so a run with 40 crashes of one cause reads as one line. */
export function describeFailures(reports: readonly FuzzReport[]): string {
  const failures = reports.flatMap((r) => r.failures);
  if (failures.length === 0) return 'no failures';
  const first = reports[0];
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = signature(f);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const lines = [`${failures.length} failures of ${groups.size} kinds (seed ${first?.seed}):`];
  for (const group of groups.values()) {
    const example = group[0] as Failure;
    const stores = [...new Set(group.map((f) => f.store))].join(', ');
    const cases = [...new Set(group.map((f) => f.index))].slice(0, 8).join(', ');
    const others = [...new Set(group.map((f) => f.detail.slice(0, 160)))].slice(1, 4);
    lines.push(`- ${group.length}× ${example.kind} [${stores}] cases ${cases} (${example.label}): ${example.detail.slice(0, 400)}`);
    if (others.length) lines.push(`  also: ${others.join(' // ')}`);
    if (example.index >= 0) {
      lines.push(`  replay: THRDS_FUZZ_SEED=${first?.seed} THRDS_FUZZ_CASE=${example.index} npx vitest run ${first?.file}`);
      lines.push(`  sends: ${example.repro.slice(0, 700)}`);
    }
  }
  return lines.join('\n');
}

/**
 * What makes two failures the same bug: a crash or a logged stack by its message; anything
 * else by its kind and where it was seen (e.g. "error without extensions.code" on "WebSocket error").
 */
function signature(f: Failure): string {
  const folded = f.detail.replace(/\d+/g, '#').replace(/"[^"]*"/g, '"…"');
  if (f.kind === 'process exit' || f.kind === 'stack trace in server log') return `${f.kind}: ${folded.slice(0, 140)}`;
  return `${f.kind}: ${folded.split(':')[0]}`;
}

export function summary(report: FuzzReport): string {
  return `[fuzz] ${report.suite} on ${report.store}: ${report.ran} cases in ${(report.elapsedMs / 1000).toFixed(1)} s (${report.stoppedBecause}), seed ${report.seed}, ${report.failures.length} failures, slowest /healthz ${report.slowestHealthMs.toFixed(0)} ms`;
}
