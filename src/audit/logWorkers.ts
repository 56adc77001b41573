/**
 * `thrds verify` on several cores. A long log is cut into stretches of
 * positions handed to worker threads, each with its own connection to the
 * store (the SQLite file opened again, or a MariaDB connection): a worker
 * reads its stretch and checks it, and the main thread puts the results
 * together in position order. On one thread, hashing and checking each
 * event costs more than reading it (BENCHMARKS.md, log tools).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface Stretch {
  readonly from: number;
  readonly to: number;
}

export interface ParallelOptions {
  /** The store's URL, password included: each worker opens the store again. */
  readonly url: string;
  /**
   * Worker threads, used whatever the log's length when given; under 2, the
   * walk stays on the calling thread. Default, for logs of MIN_PARALLEL_EVENTS or more:
   * the machine's cores for SQLite (all the reading happens in them), half
   * of them for MariaDB (whose server, often on the same machine, sends
   * the rows: on 2 cores its walk measured no faster on two threads); at most 4.
   */
  readonly workers?: number;
  /** Events per stretch (default 16,384, fewer for a short log so that every worker has some; tests make them small to put seams everywhere). */
  readonly stretchSize?: number;
}

const DEFAULT_STRETCH = 16_384;
export const MAX_WORKERS = 4;
/** Shorter logs are walked on the calling thread unless a number of workers is asked for: a worker takes a while to start (its own store connection and modules; about half a second under tsx). */
export const MIN_PARALLEL_EVENTS = 50_000;

/** Positions after+1..head in stretches of `size`. */
export function stretches(after: number, head: number, size: number): Stretch[] {
  const out: Stretch[] = [];
  for (let from = after + 1; from <= head; from += size) out.push({ from, to: Math.min(head, from + size - 1) });
  return out;
}

/**
 * The stretches to hand out and how many workers, or undefined when the walk
 * should stay on the calling thread: no file or server to open again, one
 * core, or a short log with no workers asked for.
 */
export function parallelPlan(options: ParallelOptions | undefined, after: number, head: number): { stretches: Stretch[]; workers: number } | undefined {
  if (!options || options.url.startsWith('sqlite::memory:')) return undefined;
  const events = head - after;
  if (options.workers === undefined && events < MIN_PARALLEL_EVENTS) return undefined;
  const cores = availableParallelism();
  const workers = Math.min(options.workers ?? (options.url.startsWith('sqlite:') ? cores : Math.floor(cores / 2)), MAX_WORKERS);
  if (workers < 2) return undefined;
  const size = Math.max(1, options.stretchSize ?? Math.min(DEFAULT_STRETCH, Math.ceil(events / (workers * 4))));
  const parts = stretches(after, head, size);
  if (parts.length < 2) return undefined;
  return { stretches: parts, workers: Math.min(workers, parts.length) };
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  busy: Pending | undefined;
}

/** Where the worker's code is: the TypeScript source under tsx or vitest, the compiled file in production. */
function spawn(url: string): Worker {
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(source ? './logWorker.ts' : './logWorker.js', import.meta.url);
  if (!source) return new Worker(entry, { workerData: { url } });
  // A worker does not inherit the parent's loader hooks: tsx registers itself in the worker first.
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData: { url } });
}

/**
 * A fixed set of worker threads taking jobs one at a time each. A worker that
 * fails (its store would not open, it crashed) fails the whole walk: every
 * job waiting or running is rejected with its error.
 */
export class LogWorkers {
  private readonly slots: Slot[] = [];
  private readonly queue: { readonly job: unknown; readonly pending: Pending }[] = [];
  private failure: Error | undefined;

  constructor(url: string, count: number) {
    for (let i = 0; i < count; i++) {
      const slot: Slot = { worker: spawn(url), busy: undefined };
      slot.worker.on('message', (message: { result?: unknown; error?: string }) => {
        const pending = slot.busy;
        slot.busy = undefined;
        if (message.error !== undefined) pending?.reject(new Error(message.error));
        else pending?.resolve(message.result);
        this.dispatch();
      });
      slot.worker.on('error', (error) => this.fail(error));
      slot.worker.on('exit', (code) => {
        if (slot.busy || this.queue.length > 0) this.fail(new Error(`a log worker stopped (exit code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  /** Runs one job on the next free worker. */
  run<R>(job: unknown): Promise<R> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ job, pending: { resolve: resolve as (value: unknown) => void, reject } });
      this.dispatch();
    });
  }

  /** Stops every worker: each closes its store first (up to 5 s), then it is terminated. */
  async close(): Promise<void> {
    this.fail(new Error('the log workers were closed'));
    await Promise.all(
      this.slots.map(async ({ worker }) => {
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.postMessage({ close: true });
        const timer = setTimeout(() => void worker.terminate(), 5_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const next = this.queue.shift();
      if (!next) return;
      slot.busy = next.pending;
      slot.worker.postMessage({ job: next.job });
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const slot of this.slots) {
      slot.busy?.reject(error);
      slot.busy = undefined;
    }
    for (const { pending } of this.queue.splice(0)) pending.reject(error);
  }
}

/**
 * Runs `job(stretch)` for the stretches in order on `workers` threads, at
 * most `ahead` results held, and hands each result to `take` in position
 * order. `take` returning true stops the walk there (a finding): stretches
 * after it are not started, and their results are dropped.
 */
export async function inOrder<R>(
  pool: LogWorkers,
  parts: readonly Stretch[],
  job: (stretch: Stretch) => unknown,
  ahead: number,
  take: (result: R, stretch: Stretch) => boolean | Promise<boolean>,
): Promise<void> {
  const running: Promise<R>[] = [];
  let next = 0;
  while (next < parts.length || running.length > 0) {
    while (next < parts.length && running.length < ahead) {
      const result = pool.run<R>(job(parts[next]!));
      result.catch(() => undefined); // awaited below in its turn; a failure meanwhile is not unhandled
      running.push(result);
      next += 1;
    }
    const stretch = parts[next - running.length]!;
    const result = await running.shift()!;
    if (await take(result, stretch)) return;
  }
}
