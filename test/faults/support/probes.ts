/**
 * Polls a server's /healthz or /readyz every few ms and keeps every answer
 * (status, latency, body), so a test can ask "how slow did liveness get" and
 * "when did readiness change" after the fact.
 *
 * The poller is a process of its own: the test process also runs the writers
 * and parses their answers, and a busy test event loop would be measured as a
 * slow server. Times are converted to this process's performance.now().
 */
import { spawn } from 'node:child_process';

export interface Sample {
  /** performance.now() (of this process) when it was sent. */
  readonly at: number;
  readonly ms: number;
  /** 0: no answer within the probe's timeout (or refused). */
  readonly status: number;
  readonly body: string;
}

export interface Probe {
  readonly samples: Sample[];
  /** With `control`: the same polling of a process that does nothing but answer (the machine's own noise). */
  readonly control: Sample[];
  stop(): Promise<Sample[]>;
}

/** A process that answers every HTTP request at once: how fast any process on this machine can answer right now. */
const CONTROL_SERVER = `
const server = require('node:http').createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

const SCRIPT = `
const { spawn } = require('node:child_process');
const { URL: url, INTERVAL_MS: interval, TIMEOUT_MS: timeout, CONTROL } = process.env;
let running = true;
process.stdin.on('data', () => (running = false));
process.stdin.on('end', () => (running = false));
const poll = async (target, kind) => {
  while (running) {
    const at = performance.timeOrigin + performance.now();
    let status = 0;
    let body = '';
    try {
      const response = await fetch(target, { signal: AbortSignal.timeout(Number(timeout)) });
      body = await response.text();
      status = response.status;
    } catch (error) {
      body = String(error.cause ?? error);
    }
    const ms = performance.timeOrigin + performance.now() - at;
    process.stdout.write(JSON.stringify({ kind, at, ms, status, body: body.slice(0, 2000) }) + '\\n');
    await new Promise((r) => setTimeout(r, Number(interval))); // the probe's sampling period
  }
};
// The first fetch of a process sets up its HTTP client: not the server's time.
const warm = (target) => fetch(target, { signal: AbortSignal.timeout(Number(timeout)) }).then((r) => r.text(), () => undefined);
(async () => {
  const targets = [[url, 'probe']];
  let control;
  if (CONTROL) {
    control = spawn(process.execPath, ['-e', CONTROL], { stdio: ['pipe', 'pipe', 'inherit'] });
    const port = await new Promise((resolve) => control.stdout.once('data', (d) => resolve(String(d).trim())));
    targets.push(['http://127.0.0.1:' + port + '/', 'control']);
  }
  for (const [target] of targets) await warm(target);
  await Promise.all(targets.map(([target, kind]) => poll(target, kind)));
  control?.stdin.end();
  process.exit(0);
})();
`;

export interface ProbeOptions {
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  /** Also poll a do-nothing control server in another process, at the same pace. */
  readonly control?: boolean;
}

/** Starts polling; resolves once the first answer is in. */
export async function startProbe(base: string, path: '/healthz' | '/readyz', options: ProbeOptions = {}): Promise<Probe> {
  const { intervalMs = 50, timeoutMs = 3000 } = options;
  const samples: Sample[] = [];
  const control: Sample[] = [];
  const child = spawn(process.execPath, ['-e', SCRIPT], {
    env: {
      ...process.env,
      URL: `${base}${path}`,
      INTERVAL_MS: String(intervalMs),
      TIMEOUT_MS: String(timeoutMs),
      ...(options.control ? { CONTROL: CONTROL_SERVER } : {}),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let rest = '';
  let first: () => void = () => {};
  const firstSample = new Promise<void>((resolve) => (first = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      const { kind, ...s } = JSON.parse(line) as Sample & { kind: 'probe' | 'control' };
      (kind === 'probe' ? samples : control).push({ ...s, at: s.at - performance.timeOrigin });
      if (kind === 'probe') first();
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([firstSample, exited]);
  return {
    samples,
    control,
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 2000);
      await exited;
      clearTimeout(timer);
      return samples;
    },
  };
}

/** The first answer with `status` that arrived at or after `from`; undefined if none. */
export function firstWithStatus(samples: readonly Sample[], status: number, from: number): Sample | undefined {
  return samples.find((s) => s.at + s.ms >= from && s.status === status);
}

/** Milliseconds from `from` until the probe's first answer `status` arrived (Infinity if none did). */
export function msUntilStatus(samples: readonly Sample[], status: number, from: number): number {
  const sample = firstWithStatus(samples, status, from);
  return sample ? sample.at + sample.ms - from : Number.POSITIVE_INFINITY;
}

export function slowest(samples: readonly Sample[]): Sample | undefined {
  return samples.reduce<Sample | undefined>((max, s) => (max === undefined || s.ms > max.ms ? s : max), undefined);
}

/** A compact timeline of status changes, for reports. */
export function timeline(samples: readonly Sample[], origin: number): string {
  const out: string[] = [];
  let last = -1;
  for (const s of samples) {
    if (s.status === last) continue;
    last = s.status;
    out.push(`${Math.round(s.at - origin)}ms→${s.status}${s.status === 0 ? ` ${s.body.slice(0, 60)}` : ` ${s.body.slice(0, 160)}`}`);
  }
  return out.join(' | ');
}

/**
 * How much slower each answer was than the control process's slowest answer
 * in flight at the same time: a frozen server shows as excess, a machine
 * whose two cores are busy with other tests slows both and shows none.
 */
export function excessOverControl(samples: readonly Sample[], control: readonly Sample[]): Array<Sample & { readonly excess: number; readonly controlMs: number }> {
  return samples.map((s) => {
    const end = s.at + s.ms;
    const overlapping = control.filter((c) => c.at < end && c.at + c.ms > s.at);
    const controlMs = overlapping.reduce((max, c) => Math.max(max, c.ms), 0);
    return { ...s, controlMs, excess: s.ms - controlMs };
  });
}
