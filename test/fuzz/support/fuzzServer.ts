/**
 * The server under fuzz, as an operator runs it: `node --import tsx
 * src/server.ts` in a child process, so a crash shows up as an exit we can
 * report (and recover from) instead of taking the test runner down with it.
 * Rate limits are off (the fuzz comes from one address); connection and
 * subscription caps keep their public defaults.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { relaxedProtectionEnv } from '../../support/protection.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServerExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** The last lines the process wrote to stderr. */
  readonly stderrTail: string;
}

/** A line of server stderr that looks like a stack frame (`    at fn (file:1:2)`). */
export const STACK_LINE = /^\s{2,}at\s/m;

export class FuzzServer {
  private child: ChildProcessWithoutNullStreams | undefined;
  private stderrTail = '';
  private fresh = '';
  private exitInfo: ServerExit | undefined;
  private exitWaiters: Array<(exit: ServerExit) => void> = [];
  private port = 0;
  /** Listening (set once the process said so, cleared when it exits or is restarted). */
  private ready = false;
  restarts = 0;

  constructor(private readonly databaseUrl: string) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get portNumber(): number {
    return this.port;
  }

  get alive(): boolean {
    return this.ready && this.exitInfo === undefined;
  }

  /** How the current process ended, once it has. */
  get exit(): ServerExit | undefined {
    return this.exitInfo;
  }

  /** Stderr written since the last call (to attribute stack traces to a case). */
  takeStderr(): string {
    const out = this.fresh;
    this.fresh = '';
    return out;
  }

  /** Resolves when the current process exits, or after `ms` with undefined. */
  waitForExit(ms: number): Promise<ServerExit | undefined> {
    if (this.exitInfo) return Promise.resolve(this.exitInfo);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.exitWaiters = this.exitWaiters.filter((w) => w !== done);
        resolve(undefined);
      }, ms);
      const done = (exit: ServerExit) => {
        clearTimeout(timer);
        resolve(exit);
      };
      this.exitWaiters.push(done);
    });
  }

  async start(): Promise<void> {
    const { THRDS_MAX_CONNECTIONS_PER_ADDRESS: _perAddress, THRDS_MAX_CONNECTIONS: _total, ...rates } = relaxedProtectionEnv();
    const { THRDS_RATE_SUBSCRIBES_PER_CONNECTION: _subscribes, ...relaxed } = rates;
    this.exitInfo = undefined;
    this.ready = false;
    this.stderrTail = '';
    this.fresh = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: repoRoot,
      env: { ...process.env, ...relaxed, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: this.databaseUrl, THRDS_SERVE_WEB: '0', REDIS_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdin.end();
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-6000);
      this.fresh = (this.fresh + chunk).slice(-20_000);
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.exitInfo = { code, signal, stderrTail: this.stderrTail };
      for (const waiter of this.exitWaiters.splice(0)) waiter(this.exitInfo);
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    this.port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${stdout}\n${this.stderrTail}`)), 60_000);
      const onData = (chunk: string) => {
        stdout = (stdout + chunk).slice(-4000);
        const match = /listening on http:\/\/localhost:(\d+)\//.exec(stdout);
        if (match) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          child.stdout.resume();
          resolve(Number(match[1]));
        }
      };
      child.stdout.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited (code ${code}, signal ${signal}) before listening:\n${stdout}\n${this.stderrTail}`));
      });
    });
    this.ready = true;
  }

  /** Starts a fresh process on the same database after a crash. */
  async restart(): Promise<void> {
    await this.stop();
    this.restarts += 1;
    await this.start();
  }

  /** SIGTERM (a clean stop), SIGKILL after 10 s. */
  async stop(): Promise<ServerExit | undefined> {
    const child = this.child;
    if (!child || this.exitInfo) return this.exitInfo;
    child.kill('SIGTERM');
    const exit = await this.waitForExit(10_000);
    if (exit) return exit;
    child.kill('SIGKILL');
    return this.waitForExit(5000);
  }
}
