/**
 * A Redis of the test's own (`redis-server` on a free port, nothing persisted),
 * for tests that stop and start it. The shared instance on 6379 is never touched.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './freePort.ts';
import { ServiceProcess } from './serviceProcess.ts';

const run = promisify(execFile);

/** Why an own Redis cannot run here, or undefined when it can. */
export async function ownRedisUnavailable(): Promise<string | undefined> {
  try {
    await run('redis-server', ['--version']);
    return undefined;
  } catch (error) {
    return `redis-server not runnable: ${String(error)}`;
  }
}

export class OwnRedis {
  private readonly process = new ServiceProcess('redis-server');

  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get output(): string {
    return this.process.output;
  }

  /** Starts redis-server on the same port; resolves once it answers PING. */
  async start(timeoutMs = 10_000): Promise<void> {
    const answers = async () => {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    };
    await this.process.start('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], answers, timeoutMs, 50);
  }

  stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    return this.process.stop(signal, 10_000);
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
  }
}
