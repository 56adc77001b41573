/**
 * A dependency's server run by a test (its own mariadbd, its own
 * redis-server): started, waited for until it answers, stopped with the
 * signal the test chooses, and killed if the test process exits first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { WaitTimeoutError, waitFor } from './waitFor.ts';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class ServiceProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private log = '';

  constructor(private readonly name: string) {}

  get isRunning(): boolean {
    return this.child !== undefined;
  }

  /** What the process wrote to stdout and stderr (the last 4,000 characters), for failure messages. */
  get output(): string {
    return this.log.slice(-4000);
  }

  /** Spawns `command` and resolves once `answers()` does, within `timeoutMs`; kills it otherwise. */
  async start(command: string, args: readonly string[], answers: () => Promise<void>, timeoutMs: number, pollMs: number): Promise<void> {
    if (this.child) return;
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    running.add(child);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (this.log += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.log += d));
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        running.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      }),
    );
    let refusal: unknown;
    const answered = async () => {
      if (!this.child) throw new Error(`${this.name} exited while starting:\n${this.output}`);
      return answers().then(
        () => true,
        (error: unknown) => ((refusal = error), false),
      );
    };
    try {
      await waitFor(answered, { what: `${this.name} to answer`, timeoutMs, intervalMs: pollMs, seen: () => String(refusal) });
    } catch (error) {
      child.kill('SIGKILL');
      if (error instanceof WaitTimeoutError) throw new Error(`${error.message}:\n${this.output}`);
      throw error;
    }
  }

  /** SIGTERM (a clean shutdown) or SIGKILL (a crash); resolves once the process is gone (SIGKILL after `killAfterMs`). */
  async stop(signal: 'SIGTERM' | 'SIGKILL', killAfterMs: number): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    await this.exited;
    clearTimeout(timer);
  }
}
