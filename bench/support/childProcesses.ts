/**
 * Benchmark processes: every server and client runs as its own Node process
 * (TypeScript through tsx) with an IPC channel, is registered for cleanup,
 * and is killed if the run ends or fails before it stops on its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface IpcMessage {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface SpawnOptions {
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Extra node flags, e.g. --expose-gc, --cpu-prof. */
  readonly nodeFlags?: readonly string[];
  /** Open files this process needs (sockets); the soft limit is raised to it. */
  readonly openFiles?: number;
  /** Inherit stdout (servers are quiet by default). */
  readonly verbose?: boolean;
  /** Name for messages. */
  readonly name?: string;
  /** The node binary (default: the one running the bench), e.g. Node 24 beside the machine's Node 20. */
  readonly node?: string;
}

const live = new Set<BenchChild>();

export class BenchChild {
  readonly name: string;
  private readonly inbox: IpcMessage[] = [];
  private readonly waiters = new Set<{ match: (m: IpcMessage) => boolean; resolve: (m: IpcMessage) => void; reject: (e: Error) => void }>();
  private exitInfo: { code: number | null; signal: string | null } | undefined;
  private readonly exited: Promise<void>;
  private stderrTail = '';

  constructor(readonly process: ChildProcess, name: string) {
    this.name = name;
    live.add(this);
    process.on('message', (raw) => {
      const message = raw as IpcMessage;
      for (const waiter of this.waiters) {
        if (waiter.match(message)) {
          this.waiters.delete(waiter);
          waiter.resolve(message);
          return;
        }
      }
      this.inbox.push(message);
      if (this.inbox.length > 1000) this.inbox.shift();
    });
    // A send racing the child's exit fails with EPIPE; the exit handler reports the exit.
    process.on('error', (error) => {
      this.stderrTail = `${this.stderrTail}\n[bench] ${String(error)}`.slice(-4000);
    });
    process.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    });
    this.exited = new Promise((resolve) => {
      process.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        live.delete(this);
        const error = new Error(`${this.name} exited (code ${code}, signal ${signal})${this.stderrTail ? `:\n${this.stderrTail}` : ''}`);
        for (const waiter of this.waiters) waiter.reject(error);
        this.waiters.clear();
        resolve();
      });
    });
  }

  get pid(): number {
    const pid = this.process.pid;
    if (pid === undefined) throw new Error(`${this.name} has no pid`);
    return pid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** Output the child wrote to stderr lately (for error messages). */
  get stderr(): string {
    return this.stderrTail;
  }

  send(message: IpcMessage): void {
    if (this.running && this.process.connected) this.process.send(message, (error) => void error);
  }

  /** The next message of `type` (already received or yet to come). */
  next<T extends { readonly type: string } = IpcMessage>(type: string, timeoutMs: number): Promise<T> {
    const match = (m: IpcMessage) => m.type === type || m.type === 'error';
    const queued = this.inbox.findIndex(match);
    if (queued >= 0) return settle(this.inbox.splice(queued, 1)[0] as T, this.name);
    if (!this.running) return Promise.reject(new Error(`${this.name} is not running${this.stderrTail ? `:\n${this.stderrTail}` : ''}`));
    return new Promise<IpcMessage>((resolve, reject) => {
      const waiter = { match, resolve, reject };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${this.name}: no '${type}' message within ${timeoutMs} ms${this.stderrTail ? `\n${this.stderrTail}` : ''}`));
      }, timeoutMs);
      this.waiters.add({
        match,
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
    }).then((m) => settle(m as T, this.name));
  }

  /** Sends `message` and waits for the reply of `replyType`. */
  request<T extends { readonly type: string } = IpcMessage>(message: IpcMessage, replyType: string, timeoutMs: number): Promise<T> {
    const reply = this.next<T>(replyType, timeoutMs);
    this.send(message);
    return reply;
  }

  /** Asks the child to stop ({type:'stop'}), then kills it after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.process.kill('SIGTERM'), graceMs);
    const killer = setTimeout(() => this.process.kill('SIGKILL'), graceMs + 2000);
    await this.exited;
    clearTimeout(timer);
    clearTimeout(killer);
  }

  kill(): void {
    if (this.running) this.process.kill('SIGKILL');
  }

  waitForExit(): Promise<void> {
    return this.exited;
  }
}

function settle<T extends { readonly type: string }>(message: T, name: string): Promise<T> {
  if (message.type === 'error') return Promise.reject(new Error(`${name}: ${String((message as { message?: unknown }).message)}`));
  return Promise.resolve(message);
}

/** Starts `script` (a path relative to the repo root) under node + tsx with an IPC channel. */
export function spawnBenchChild(script: string, options: SpawnOptions = {}): BenchChild {
  const nodeArgs = ['--import', 'tsx', ...(options.nodeFlags ?? []), script, ...(options.args ?? [])];
  const needed = options.openFiles ?? 0;
  const soft = openFilesLimit('soft');
  const node = options.node ?? process.execPath;
  let command = node;
  let args = nodeArgs;
  if (needed > soft) {
    const hard = openFilesLimit('hard');
    if (needed > hard) {
      throw new Error(
        `${options.name ?? script} needs ${needed} open files but the hard limit is ${hard}: raise it (ulimit -Hn, /etc/security/limits.conf or the container's nofile)`,
      );
    }
    command = '/bin/sh';
    args = ['-c', `ulimit -n ${needed} && exec "$0" "$@"`, node, ...nodeArgs];
  }
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.verbose ? 'inherit' : 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  return new BenchChild(child, options.name ?? script);
}

/** RLIMIT_NOFILE of this process (children inherit it). */
export function openFilesLimit(which: 'soft' | 'hard'): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const parts = line?.trim().split(/\s+/) ?? [];
  const value = parts[which === 'soft' ? 3 : 4];
  return value === undefined || value === 'unlimited' ? Number.POSITIVE_INFINITY : Number(value);
}

/** Kills every child still running (used on failure and at exit). */
export function killAllBenchChildren(): void {
  for (const child of live) child.kill();
}

/** Stops every child still running, politely first. */
export async function stopAllBenchChildren(): Promise<void> {
  await Promise.all([...live].map((child) => child.stop(3000)));
}

process.on('exit', killAllBenchChildren);
