/**
 * Progress for long work, on standard error so it never mixes with data on
 * standard output: a redrawn bar with events/s on a terminal, a plain line
 * every few seconds otherwise (logs, CI, tests).
 */
import type { WriteStream } from 'node:tty';

export interface Progress {
  /** `done` events handled so far, of `total` when known. */
  update(done: number, total?: number): void;
  /** Ends the bar and prints the final count and rate. */
  finish(done: number, suffix?: string): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
  readonly quiet?: boolean;
  /** Minimum time between two plain lines. */
  readonly lineEveryMs?: number;
  readonly now?: () => number;
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { update() {}, finish() {} };
  const now = options.now ?? (() => performance.now());
  const started = now();
  const tty = stream.isTTY === true;
  const every = tty ? 100 : (options.lineEveryMs ?? 2000);
  let last = started;

  const rate = (done: number, at: number): number => (at > started ? Math.round(done / ((at - started) / 1000)) : 0);

  return {
    update(done, total) {
      const at = now();
      if (at - last < every) return;
      last = at;
      if (tty) stream.write(`\r${bar(options.label, done, total, rate(done, at), (stream as WriteStream).columns ?? 80)}`);
      else stream.write(`${options.label}: ${describe(done, total)}, ${format(rate(done, at))} events/s\n`);
    },
    finish(done, suffix = '') {
      const at = now();
      const seconds = ((at - started) / 1000).toFixed(1);
      const line = `${options.label}: ${format(done)} events in ${seconds} s (${format(rate(done, at))} events/s)${suffix}`;
      stream.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
  };
}

function describe(done: number, total: number | undefined): string {
  if (total === undefined || total <= 0) return `${format(done)} events`;
  return `${format(done)}/${format(total)} events (${Math.floor((done / total) * 100)}%)`;
}

function bar(label: string, done: number, total: number | undefined, perSecond: number, columns: number): string {
  const text = ` ${describe(done, total)}  ${format(perSecond)} events/s`;
  if (total === undefined || total <= 0) return `${label}${text}\x1b[K`;
  const width = Math.max(10, Math.min(40, columns - label.length - text.length - 4));
  const filled = Math.min(width, Math.round((done / total) * width));
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${text}\x1b[K`;
}

function format(n: number): string {
  return n.toLocaleString('en-US');
}
