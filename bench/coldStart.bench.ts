/**
 * Cold start: time from spawning the server process to `/healthz`
 * answering 200 on the embedded SQLite store, for a fresh database (migrations
 * run) and an existing one, started as `node --import tsx src/server.ts`
 * and through the `tsx` CLI as `npm start` does. Baseline: a bare node:http
 * server started the same way.
 */
import { spawn } from 'node:child_process';
import type { BenchModule, BenchRow } from './types.ts';
import { repoRoot } from './support/childProcesses.ts';
import { freePort, waitForHttp200 } from './support/freePort.ts';
import { scratchSqliteDatabase } from './support/scratchDatabases.ts';
import { fmt } from './support/table.ts';

async function timeToHealthy(command: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', THRDS_SERVE_WEB: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  try {
    await waitForHttp200(`http://127.0.0.1:${port}/healthz`, 30_000, () => !exited, 5);
    return performance.now() - started;
  } catch (error) {
    throw new Error(`${String(error)}\n${stderr}`);
  } finally {
    // The tsx CLI starts node as its own child: signal the whole group.
    if (!exited && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    await exit;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export const run: BenchModule = async (options) => {
  const runs = options.quick ? 1 : 3;
  const node = process.execPath;
  const tsxCli = `${repoRoot}node_modules/.bin/tsx`;
  const bare: number[] = [];
  const fresh: number[] = [];
  const existing: number[] = [];
  const viaCli: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await timeToHealthy(node, ['--import', 'tsx', 'bench/baselines/bareHttpServer.ts'], {}));
    const database = scratchSqliteDatabase();
    try {
      const env = { DATABASE_URL: database.url };
      fresh.push(await timeToHealthy(node, ['--import', 'tsx', 'src/server.ts'], env));
      existing.push(await timeToHealthy(node, ['--import', 'tsx', 'src/server.ts'], env));
      viaCli.push(await timeToHealthy(tsxCli, ['src/server.ts'], env));
    } finally {
      await database.drop();
    }
  }
  const baseline = { name: 'bare node:http server, node --import tsx', value: median(bare) };
  const rows: BenchRow[] = [
    {
      name: 'cold start to /healthz 200, SQLite, existing database (node --import tsx)',
      value: median(existing),
      unit: 'ms',
      baseline,
      ratio: median(existing) / baseline.value,
      note: `median of ${runs}; target < 1500 ms`,
    },
    {
      name: 'cold start to /healthz 200, SQLite, fresh database (migrations run)',
      value: median(fresh),
      unit: 'ms',
      baseline,
      ratio: median(fresh) / baseline.value,
      note: `median of ${runs}; target < 1500 ms`,
    },
    {
      name: 'cold start to /healthz 200, SQLite, existing database (tsx CLI, as npm start)',
      value: median(viaCli),
      unit: 'ms',
      baseline,
      ratio: median(viaCli) / baseline.value,
      note: `median of ${runs}; runs: ${viaCli.map(fmt).join(', ')} ms`,
    },
  ];
  return rows;
};
