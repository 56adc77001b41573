/**
 * Server processes under test: the real Thrds server (`src/server.ts`, as
 * `npm start` runs it) and the baselines, each in its own process with the
 * server probe loaded, so the bench can read its CPU time and ask it for
 * memory after a GC or for a profile.
 */
import { relaxedProtectionEnv } from '../../test/support/protection.ts';
import { BenchChild, spawnBenchChild } from './childProcesses.ts';
import { freePort, waitForHttp200 } from './freePort.ts';

export interface ServerHandle {
  readonly child: BenchChild;
  readonly baseUrl: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface ThrdsServerOptions {
  readonly databaseUrl: string;
  /** The node binary to run the server with (default: the bench's own). */
  readonly node?: string;
  readonly openFiles?: number;
  /** Write a V8 CPU profile into this directory when the server stops. */
  readonly cpuProfileDir?: string;
  readonly name?: string;
  /** More environment for the server (e.g. THRDS_BENCH_TRACE=1). */
  readonly env?: Readonly<Record<string, string>>;
}

export async function startThrdsServer(options: ThrdsServerOptions): Promise<ServerHandle> {
  const port = await freePort();
  const nodeFlags = ['--expose-gc', '--import', './bench/support/serverProbe.ts'];
  if (options.cpuProfileDir) nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  const child = spawnBenchChild('src/server.ts', {
    name: options.name ?? 'thrds server',
    nodeFlags,
    // The bench's load comes from one address and a few users: a public server's limits would refuse it.
    env: { ...relaxedProtectionEnv(), PORT: String(port), DATABASE_URL: options.databaseUrl, HOST: '127.0.0.1', THRDS_SERVE_WEB: '0', ...options.env },
    ...(options.openFiles === undefined ? {} : { openFiles: options.openFiles }),
    ...(options.node === undefined ? {} : { node: options.node }),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp200(`${baseUrl}/healthz`, 60_000, () => child.running, 50);
  } catch (error) {
    child.kill();
    throw new Error(`${String(error)}\n${child.stderr}`);
  }
  return { child, baseUrl, port, stop: () => child.stop() };
}

/** Starts one of the bench's own servers (baselines) and waits for its {type:'listening', port}. */
export async function startBaselineServer(script: string, name: string, openFiles?: number, cpuProfileDir?: string): Promise<ServerHandle> {
  const nodeFlags = ['--expose-gc'];
  if (cpuProfileDir) nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`);
  const child = spawnBenchChild(script, { name, nodeFlags, ...(openFiles === undefined ? {} : { openFiles }) });
  const { port } = await child.next<{ type: 'listening'; port: number }>('listening', 30_000);
  const baseUrl = `http://127.0.0.1:${port}`;
  return { child, baseUrl, port, stop: () => child.stop() };
}

export interface ServerMemory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly gcForced: boolean;
}

export async function serverMemory(server: ServerHandle): Promise<ServerMemory> {
  return server.child.request<ServerMemory & { type: 'memory' }>({ type: 'memory' }, 'memory', 60_000);
}

/** The server's own CPU time in µs (process.cpuUsage over IPC: finer than /proc's 10 ms ticks, but needs an idle event loop). */
export async function serverCpuUs(server: ServerHandle): Promise<number> {
  const usage = await server.child.request<{ type: 'cpu'; user: number; system: number }>({ type: 'cpu' }, 'cpu', 30_000);
  return usage.user + usage.system;
}
