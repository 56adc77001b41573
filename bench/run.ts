/**
 * `npm run bench [-- --quick] [-- --only fanout,append]`: runs every
 * `bench/*.bench.ts` module that exports `run`, prints one table (name,
 * value, unit, baseline, ratio, note) and writes the rows, the machine and
 * the timings to `bench/results/bench-<time>.json` (and `latest.json`).
 *
 * MariaDB: THRDS_BENCH_MYSQL_URL, else THRDS_TEST_MYSQL_URL, else
 * mysql://root@127.0.0.1:3306 (root, durable defaults). Each bench creates
 * and drops its own `thrds_bench_*` databases.
 */
import { mkdirSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import mysql from 'mysql2/promise';
import type { BenchModule, BenchOptions, BenchRow } from './types.ts';
import { killAllBenchChildren, repoRoot, stopAllBenchChildren } from './support/childProcesses.ts';
import { assertMysqlReachable, dropAllScratchDatabases } from './support/scratchDatabases.ts';
import { renderTable } from './support/table.ts';

interface ModuleResult {
  readonly module: string;
  readonly durationMs: number;
  readonly rows: readonly BenchRow[];
  readonly error?: string;
}

function parseArgs(argv: readonly string[]): { quick: boolean; only: string[] } {
  let quick = false;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--only') only.push(...(argv[++i] ?? '').split(',').filter(Boolean));
    else if (arg?.startsWith('--only=')) only.push(...arg.slice('--only='.length).split(',').filter(Boolean));
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm run bench [-- --quick] [-- --only append,fanout]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg ?? ''}`);
  }
  return { quick, only };
}

async function machine(mysqlUrl: string): Promise<Record<string, unknown>> {
  let mariadb = 'unreachable';
  try {
    const conn = await mysql.createConnection({ uri: mysqlUrl });
    const [rows] = await conn.query('SELECT VERSION() AS v, @@innodb_flush_log_at_trx_commit AS f, @@sync_binlog AS s');
    const row = (rows as { v: string; f: number; s: number }[])[0];
    mariadb = row ? `${row.v} (innodb_flush_log_at_trx_commit=${row.f}, sync_binlog=${row.s})` : 'unknown';
    await conn.end();
  } catch {
    // Reported as unreachable; the MariaDB benches fail with the reason.
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    mariadb,
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const mysqlUrl = process.env.THRDS_BENCH_MYSQL_URL ?? process.env.THRDS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
  const options: BenchOptions = { quick, mysqlUrl };
  await assertMysqlReachable(mysqlUrl);
  const benchDir = join(repoRoot, 'bench');
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.toLowerCase().includes(o.toLowerCase())))
    .sort();
  if (files.length === 0) throw new Error(`no bench/*.bench.ts matches ${only.join(',')}`);
  const startedAt = new Date();
  const env = await machine(mysqlUrl);
  console.error(`[bench] ${quick ? 'quick' : 'full'} run of ${files.join(', ')} on ${env.cpus} × ${String(env.cpuModel)}, MariaDB ${String(env.mariadb)}`);
  const results: ModuleResult[] = [];
  const moduleTimeoutMs = quick ? 120_000 : 480_000;
  for (const file of files) {
    const started = performance.now();
    const name = file.replace(/\.bench\.ts$/, '');
    console.error(`[bench] ${name} …`);
    try {
      const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { run?: BenchModule; fullRunTimeoutMs?: number };
      if (typeof mod.run !== 'function') {
        console.error(`[bench] ${file} exports no run(); skipped`);
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const timeoutMs = quick ? moduleTimeoutMs : (mod.fullRunTimeoutMs ?? moduleTimeoutMs);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} exceeded ${timeoutMs / 1000} s`)), timeoutMs);
      });
      const rows = await Promise.race([mod.run(options), timeout]).finally(() => clearTimeout(timer));
      results.push({ module: name, durationMs: performance.now() - started, rows });
      console.error(`[bench] ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      console.error(renderTable(rows));
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`[bench] ${name} FAILED: ${message}`);
      results.push({ module: name, durationMs: performance.now() - started, rows: [], error: message });
      await stopAllBenchChildren();
    }
  }
  const durationMs = Date.now() - startedAt.getTime();
  env.loadAverageAtEnd = os.loadavg().map((l) => Number(l.toFixed(2)));
  const allRows = results.flatMap((r) => r.rows);
  console.log(`\nThrds benchmarks (${quick ? '--quick' : 'full'}), ${startedAt.toISOString()}, ${(durationMs / 1000).toFixed(0)} s`);
  console.log(`machine: ${env.cpus} × ${String(env.cpuModel)}, ${String(env.memoryGiB)} GiB, Node ${process.version}, MariaDB ${String(env.mariadb)}`);
  console.log(`load average (1/5/15 min) at start ${String(env.loadAverageAtStart)}, at end ${String(env.loadAverageAtEnd)}: other work on the machine skews absolute figures; compare ratios\n`);
  console.log(renderTable(allRows));
  const failed = results.filter((r) => r.error);
  for (const f of failed) console.log(`\nFAILED ${f.module}: ${f.error?.split('\n')[0] ?? ''}`);

  const resultsDir = join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
  writeFileSync(file, JSON.stringify({ startedAt: startedAt.toISOString(), quick, durationMs, machine: env, modules: results }, null, 2));
  copyFileSync(file, join(resultsDir, 'latest.json'));
  console.log(`\nwritten ${file}`);
  if (failed.length) process.exitCode = 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllBenchChildren();
    const timer = setTimeout(() => process.exit(130), 5000);
    void dropAllScratchDatabases().finally(() => {
      clearTimeout(timer);
      process.exit(130);
    });
  });
}

main()
  .catch((error: unknown) => {
    console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => {
    killAllBenchChildren();
  });
