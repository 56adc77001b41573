/**
 * A Thrds server started the way an operator starts it (`node dist/server.js`,
 * `npm start`, `npm exec thrds serve`), as its own process on a free port:
 * ready once /healthz answers, with everything it wrote kept for failure messages.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { relaxedProtectionEnv } from '../../support/protection.ts';
import { WaitTimeoutError, waitFor } from '../../support/waitFor.ts';

export interface SpawnedServerOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly port: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

export interface SpawnedServer {
  readonly child: ChildProcess;
  readonly base: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function spawnServer(options: SpawnedServerOptions): Promise<SpawnedServer> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: {
      ...process.env,
      ...relaxedProtectionEnv(),
      // Nothing of the test runner's loaders may leak in: production has no tsx.
      NODE_OPTIONS: '',
      THRDS_POLL_MS: '100',
      REDIS_URL: '',
      ...options.env,
      PORT: String(options.port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve((exit = { code, signal }))),
  );
  const base = `http://127.0.0.1:${options.port}`;
  const server: SpawnedServer = {
    child,
    base,
    exited,
    output: () => output,
    async stop(graceMs = 15_000) {
      if (exit) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  const command = `${options.command} ${options.args.join(' ')}`;
  const ready = async () => {
    if (exit) throw new Error(`${command} exited while starting (${JSON.stringify(exit)}):\n${output}`);
    return fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    );
  };
  try {
    await waitFor(ready, { what: `${command} to answer /healthz`, timeoutMs: options.startTimeoutMs ?? 30_000, intervalMs: 100 });
    return server;
  } catch (error) {
    await server.stop(0);
    if (error instanceof WaitTimeoutError) throw new Error(`${error.message}:\n${output}`);
    throw error;
  }
}
