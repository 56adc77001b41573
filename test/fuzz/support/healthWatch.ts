/**
 * `/healthz` polled throughout a fuzz run: a server that stops answering
 * within the limit (a blocked event loop, a stalled accept queue) is a
 * failure even if it never crashes.
 */
import type { FuzzServer } from './fuzzServer.ts';

export interface Health {
  readonly position: string;
  readonly connections: number;
  readonly subscriptions: number;
  /** Present once SSE streams are counted (src/http/sseGuard.ts). */
  readonly sseConnections?: number;
  readonly sseSubscriptions?: number;
}

export async function readHealth(baseUrl: string, timeoutMs: number): Promise<Health> {
  const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
  if (response.status !== 200) throw new Error(`/healthz answered ${response.status}`);
  return (await response.json()) as Health;
}

export class HealthWatch {
  private running = false;
  private loop: Promise<void> | undefined;
  /** The slowest answer seen, in ms. */
  slowestMs = 0;
  polls = 0;

  constructor(
    private readonly server: FuzzServer,
    private readonly limitMs: number,
    private readonly onUnanswered: (detail: string) => void,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.poll();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      if (this.server.alive) {
        const started = performance.now();
        const port = this.server.portNumber;
        try {
          await readHealth(this.server.baseUrl, this.limitMs);
          this.slowestMs = Math.max(this.slowestMs, performance.now() - started);
          this.polls += 1;
        } catch (error) {
          // A poll that failed because the process died (or was restarted meanwhile) is the exit's failure, not this one.
          const exited = await this.server.waitForExit(100);
          if (!exited && this.server.alive && this.server.portNumber === port) {
            this.onUnanswered(`/healthz unanswered within ${this.limitMs} ms (${error instanceof Error ? error.message : String(error)})`);
          }
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200)); // the watch's sampling period, not a wait for something
    }
  }
}
