/**
 * The server as an operator runs it, in its own process: `node --import tsx
 * src/server.ts` on a free port, with every line it writes kept (to count log
 * lines and to show them when a test fails). Fault tests use it so that a
 * freeze or a crash is the server's, not the test runner's.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './freePort.ts';
import { relaxedProtectionEnv } from './protection.ts';
import { WaitTimeoutError, waitFor } from './waitFor.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcessOptions {
  readonly databaseUrl: string;
  /** More environment (THRDS_DB_TIMEOUT_MS, REDIS_URL, LOG_LEVEL, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for /healthz after spawning. Default 30 s. */
  readonly startTimeoutMs?: number;
}

export interface OutputLine {
  readonly at: number;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** performance.now() when it exited. */
  readonly at: number;
}

export class ServerProcess {
  readonly lines: OutputLine[] = [];
  readonly exited: Promise<ProcessExit>;
  private exitInfo: ProcessExit | undefined;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly port: number,
  ) {
    for (const stream of ['stdout', 'stderr'] as const) {
      let rest = '';
      child[stream].setEncoding('utf8').on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        const at = performance.now();
        for (const text of parts) this.lines.push({ at, stream, text });
      });
      child[stream].on('end', () => {
        if (rest) this.lines.push({ at: performance.now(), stream, text: rest });
      });
    }
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal, at: performance.now() };
        resolve(this.exitInfo);
      });
    });
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...relaxedProtectionEnv(),
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: options.databaseUrl,
        THRDS_SERVE_WEB: '0',
        THRDS_POLL_MS: '100',
        REDIS_URL: '',
        ...options.env,
      },
      stdio: 'pipe',
    });
    child.stdin.end();
    const server = new ServerProcess(child, port);
    const answers = async () => {
      if (server.exitInfo) throw new Error(`the server exited while starting (code ${server.exitInfo.code}):\n${server.output()}`);
      return fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
    };
    try {
      await waitFor(answers, { what: 'the server to answer /healthz', timeoutMs: options.startTimeoutMs ?? 30_000, intervalMs: 50 });
      return server;
    } catch (error) {
      child.kill('SIGKILL');
      if (error instanceof WaitTimeoutError) throw new Error(`${error.message}:\n${server.output()}`);
      throw error;
    }
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  /** Everything it wrote (the last `max` lines), for failure messages. */
  output(max = 200): string {
    return this.lines
      .slice(-max)
      .map((l) => `[${l.stream}] ${l.text}`)
      .join('\n');
  }

  /** Lines written since `since` (performance.now()) that match. */
  linesMatching(pattern: RegExp, since = 0): OutputLine[] {
    return this.lines.filter((l) => l.at >= since && pattern.test(l.text));
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves with the exit, or undefined after `ms`. */
  async waitForExit(ms: number): Promise<ProcessExit | undefined> {
    if (this.exitInfo) return this.exitInfo;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`: never leaves a process behind. */
  async stop(graceMs = 15_000): Promise<ProcessExit> {
    if (this.exitInfo) return this.exitInfo;
    this.child.kill('SIGTERM');
    const exit = await this.waitForExit(graceMs);
    if (exit) return exit;
    this.child.kill('SIGKILL');
    return this.exited;
  }
}
