/**
 * Append throughput: Thrds `postMessage` through the real HTTP GraphQL
 * endpoint at 1/16/64 concurrent clients, on MariaDB (durable) and on the
 * embedded SQLite store, against raw mysql2 single-row INSERTs (one per
 * autocommit transaction) into a table of the events table's shape with the
 * same concurrency, all in the same run, with two reference points: 100 rows
 * per transaction, and a counter row locked per event; and against the seed
 * apps' stack (HTTP → one autocommit INSERT → socket.io room emit, in its own
 * process) at the same levels. Afterwards `thrds verify` checks
 * the log: gap-free positions, each hash chained to the previous event.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { verifyLog } from '../src/audit/verifyLog.ts';
import { openDatabase } from '../src/db/openDatabase.ts';
import type { BenchModule, BenchRow } from './types.ts';
import type { AppendResult, AppendRun, MysqlMode } from './clients/appendLoad.ts';
import { repoRoot, spawnBenchChild, type BenchChild } from './support/childProcesses.ts';
import { summarize } from './support/cpuProfileSummary.ts';
import { eventsTableDdl } from './support/eventsTableShape.ts';
import { createThread, graphqlHttpClient, registerUser } from './support/graphqlHttp.ts';
import { scratchMysqlDatabase, scratchSqliteDatabase, type ScratchDatabase } from './support/scratchDatabases.ts';
import { startThrdsServer } from './support/serverProcesses.ts';
import { node24, type OtherNode } from './support/otherNode.ts';
import { cpuTimeMs, findProcess, machineBusySince, machineCpuTicks } from './support/procStat.ts';
import { fmt } from './support/table.ts';

type Store = 'mariadb' | 'sqlite';
const SATURATED = 0.9;

interface LevelResult extends AppendResult {
  readonly concurrency: number;
  /** Server CPU time per append (Thrds only), µs. */
  readonly serverCpuUsPerAppend?: number;
  /** Server CPU time ÷ wall time over the level (1 = one core busy). */
  readonly serverCpuShare?: number;
  /** Share of all the machine's CPUs busy during the level (every process). */
  readonly machineBusy: number;
  /** CPU time per append (warm-up included) of the load process and of the local MariaDB server, µs. */
  readonly clientCpuUsPerAppend: number;
  readonly databaseCpuUsPerAppend?: number;
}

/** The local MariaDB server, whose CPU time each level reads (absent when the database is elsewhere). */
const databasePid = findProcess(['mariadbd', 'mysqld']);

/** Client + server + database CPU per append: on a machine of `cores`, more than cores ÷ that per second cannot be had. */
function cpuPerAppend(r: LevelResult): number | undefined {
  if (r.databaseCpuUsPerAppend === undefined) return undefined;
  return r.clientCpuUsPerAppend + (r.serverCpuUsPerAppend ?? 0) + r.databaseCpuUsPerAppend;
}
const cores = os.cpus().length;

/** THRDS_BENCH_CPU_PROFILE=1: profile the server during each level (this perturbs the figures). */
const profileDir = process.env.THRDS_BENCH_CPU_PROFILE ? join(repoRoot, 'bench/results/profiles') : undefined;

async function runLevels(
  levels: readonly number[],
  target: AppendRun['target'],
  warmupMs: number,
  durationMs: number,
  profiled?: { readonly server: BenchChild; readonly label: string },
): Promise<LevelResult[]> {
  const load = spawnBenchChild('bench/clients/appendLoad.ts', { name: 'append load' });
  try {
    await load.next('started', 30_000);
    const results: LevelResult[] = [];
    for (const concurrency of levels) {
      const request: AppendRun = { type: 'run', concurrency, warmupMs, durationMs, target };
      if (profileDir && profiled) await profiled.server.request({ type: 'profileStart' }, 'profiling', 30_000);
      const cpuBefore = profiled ? cpuTimeMs(profiled.server.pid) : 0;
      const clientBefore = cpuTimeMs(load.pid);
      const databaseBefore = databasePid === undefined ? 0 : cpuTimeMs(databasePid);
      const wallBefore = performance.now();
      const machineBefore = machineCpuTicks();
      const result = await load.request<AppendResult>(request, 'result', warmupMs + durationMs + 60_000);
      const serverCpuMs = profiled ? cpuTimeMs(profiled.server.pid) - cpuBefore : 0;
      const clientCpuMs = cpuTimeMs(load.pid) - clientBefore;
      const databaseCpuMs = databasePid === undefined ? undefined : cpuTimeMs(databasePid) - databaseBefore;
      const wallMs = performance.now() - wallBefore;
      const machineBusy = machineBusySince(machineBefore);
      if (profileDir && profiled) {
        mkdirSync(profileDir, { recursive: true });
        const file = join(profileDir, `thrds-append-${profiled.label}-c${concurrency}.cpuprofile`);
        await profiled.server.request({ type: 'profileStop', file }, 'profiled', 120_000);
        const summary = summarize(JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof summarize>[0], 30);
        writeFileSync(file.replace(/\.cpuprofile$/, '.txt'), summary);
        console.error(`[append] CPU profile of Thrds (${profiled.label}), ${concurrency} clients: ${file}`);
      }
      if (result.appends === 0) throw new Error(`no append succeeded at ${concurrency} clients: ${result.errors.join('; ')}`);
      results.push({
        ...result,
        concurrency,
        machineBusy,
        clientCpuUsPerAppend: (clientCpuMs * 1000) / Math.max(1, result.allAppends),
        ...(databaseCpuMs === undefined ? {} : { databaseCpuUsPerAppend: (databaseCpuMs * 1000) / Math.max(1, result.allAppends) }),
        ...(profiled && result.allAppends > 0
          ? { serverCpuUsPerAppend: (serverCpuMs * 1000) / result.allAppends, serverCpuShare: serverCpuMs / wallMs }
          : {}),
      });
    }
    return results;
  } finally {
    await load.stop();
  }
}

interface RawResults {
  readonly single: LevelResult[];
  /** Reference points at one concurrency: 100 rows per transaction, and a counter row locked per message. */
  readonly batch100: LevelResult;
  readonly counter: LevelResult;
}

async function rawMysql(mysqlUrl: string, levels: readonly number[], referenceLevel: number, warmupMs: number, durationMs: number): Promise<RawResults> {
  const database = scratchMysqlDatabase(mysqlUrl);
  const admin = await mysql.createConnection({ uri: mysqlUrl });
  try {
    await admin.query(`CREATE DATABASE \`${database.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.query(`USE \`${database.name}\``);
    await admin.query(eventsTableDdl('bench_events'));
    await admin.query(eventsTableDdl('bench_counted'));
    await admin.query('CREATE TABLE bench_counted_head (id TINYINT UNSIGNED NOT NULL PRIMARY KEY, position BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB');
    await admin.query('INSERT INTO bench_counted_head (id, position) VALUES (1, 0)');
    const target = (table: string, mode: MysqlMode) => ({ kind: 'mysql' as const, url: database.url, table, mode });
    const single = await runLevels(levels, target('bench_events', 'single'), warmupMs, durationMs);
    const [batch100] = await runLevels([referenceLevel], target('bench_events', 'batch100'), warmupMs, durationMs);
    const [counter] = await runLevels([referenceLevel], target('bench_counted', 'counter'), warmupMs, durationMs);
    if (!batch100 || !counter) throw new Error('reference runs returned nothing');
    return { single, batch100, counter };
  } finally {
    await admin.end();
    await database.drop();
  }
}

/**
 * The seed apps' stack (bench/baselines/seedStyleServer.ts) in its own
 * process on a scratch database: HTTP POST, one autocommit INSERT, a
 * socket.io room emit. Each client posts into a thread of its own, as the
 * Thrds run's clients do.
 */
async function seedStyle(mysqlUrl: string, levels: readonly number[], warmupMs: number, durationMs: number): Promise<LevelResult[]> {
  const database = scratchMysqlDatabase(mysqlUrl);
  const admin = await mysql.createConnection({ uri: mysqlUrl });
  try {
    await admin.query(`CREATE DATABASE \`${database.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const child = spawnBenchChild('bench/baselines/seedStyleServer.ts', { name: 'seed-style server', env: { DATABASE_URL: database.url } });
    try {
      const { port } = await child.next<{ type: 'listening'; port: number }>('listening', 60_000);
      const threadIds = Array.from({ length: Math.max(...levels) }, () => randomUUID());
      return await runLevels(levels, { kind: 'seed', baseUrl: `http://127.0.0.1:${port}`, threadIds }, warmupMs, durationMs, { server: child, label: 'seed-style' });
    } finally {
      await child.stop();
    }
  } finally {
    await admin.end();
    await database.drop();
  }
}

/** The command layer and store driven in the load process itself, on a database of its own: what Thrds does without HTTP and GraphQL. */
async function inProcess(mysqlUrl: string, level: number, warmupMs: number, durationMs: number): Promise<LevelResult> {
  const database = scratchMysqlDatabase(mysqlUrl);
  try {
    const [result] = await runLevels([level], { kind: 'store', databaseUrl: database.url }, warmupMs, durationMs);
    if (!result) throw new Error('the in-process run returned nothing');
    return result;
  } finally {
    await database.drop();
  }
}

interface GapCheck {
  readonly count: number;
  readonly gapFree: boolean;
  readonly finding?: string;
}

/** `thrds verify` on the log the run wrote: every position from 1 to the head, each hash chained to the one before. */
async function checkGapFree(database: ScratchDatabase): Promise<GapCheck> {
  const db = await openDatabase(database.url);
  try {
    const result = await verifyLog(db);
    const finding = result.finding ? `${result.finding.kind} at position ${result.finding.position}: ${result.finding.detail}` : undefined;
    return { count: result.count, gapFree: finding === undefined && result.count === result.head.position, ...(finding ? { finding } : {}) };
  } finally {
    await db.close();
  }
}

async function thrds(store: Store, mysqlUrl: string, levels: readonly number[], warmupMs: number, durationMs: number, node?: OtherNode): Promise<{ levels: LevelResult[]; gaps: GapCheck }> {
  const database = store === 'sqlite' ? scratchSqliteDatabase() : scratchMysqlDatabase(mysqlUrl);
  try {
    const server = await startThrdsServer({ databaseUrl: database.url, name: `thrds server (${store}${node ? `, ${node.version}` : ''})`, ...(node ? { node: node.path } : {}) });
    let results: LevelResult[];
    try {
      const maxClients = Math.max(...levels);
      const setup = graphqlHttpClient(server.baseUrl, 8);
      const tokens = await Promise.all(Array.from({ length: Math.min(maxClients, 8) }, (_, i) => registerUser(setup, `append${i}_`)));
      const threadIds: string[] = [];
      for (let i = 0; i < maxClients; i++) threadIds.push(await createThread(setup, tokens[i % tokens.length] ?? '', `append ${i}`));
      setup.close();
      results = await runLevels(levels, { kind: 'thrds', baseUrl: server.baseUrl, tokens, threadIds }, warmupMs, durationMs, { server: server.child, label: store });
    } finally {
      await server.stop();
    }
    return { levels: results, gaps: await checkGapFree(database) };
  } finally {
    await database.drop();
  }
}

export const run: BenchModule = async (options) => {
  const levels = options.quick ? [1, 4] : [1, 16, 64];
  const warmupMs = options.quick ? 500 : 1000;
  const durationMs = options.quick ? 2000 : 4000;
  const referenceLevel = options.quick ? 4 : 16;
  const raw = await rawMysql(options.mysqlUrl, levels, referenceLevel, warmupMs, durationMs);
  const storeOnly = await inProcess(options.mysqlUrl, referenceLevel, warmupMs, durationMs);
  const seed = await seedStyle(options.mysqlUrl, levels, warmupMs, durationMs);
  const stores: Record<Store, Awaited<ReturnType<typeof thrds>>> = {
    mariadb: await thrds('mariadb', options.mysqlUrl, levels, warmupMs, durationMs),
    sqlite: await thrds('sqlite', options.mysqlUrl, levels, warmupMs, durationMs),
  };
  // THRDS_BENCH_NODE24: the same MariaDB level with the server on Node 24, measured in this run.
  const onNode24 = node24 ? await thrds('mariadb', options.mysqlUrl, [referenceLevel], warmupMs, durationMs, node24) : undefined;
  const rows: BenchRow[] = [];
  for (const concurrency of levels) {
    const base = raw.single.find((r) => r.concurrency === concurrency);
    if (!base) continue;
    const baseName = `raw mysql2 1-row INSERT/txn, ${concurrency} conn`;
    for (const store of ['mariadb', 'sqlite'] as const) {
      const r = stores[store].levels.find((l) => l.concurrency === concurrency);
      if (!r) continue;
      const storeName = store === 'mariadb' ? 'MariaDB' : 'SQLite';
      const gaps = stores[store].gaps;
      const client = r.cpuShare >= SATURATED ? '; the client process SATURATED a core (client-bound)' : '';
      const target = store === 'mariadb' ? '; target ≥0.5× raw' : '; ratio vs MariaDB raw inserts';
      rows.push({
        name: `append via GraphQL, ${storeName}, ${concurrency} client${concurrency === 1 ? '' : 's'}`,
        value: r.perSecond,
        unit: 'msg/s',
        baseline: { name: baseName, value: base.perSecond },
        ratio: r.perSecond / base.perSecond,
        note: `p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms; server CPU ${fmt(r.serverCpuUsPerAppend ?? Number.NaN)} µs/append (${Math.round((r.serverCpuShare ?? 0) * 100)}% of a core); client CPU ${Math.round(r.cpuShare * 100)}%${client}; machine ${Math.round(r.machineBusy * 100)}% busy${r.failures ? `; ${r.failures} FAILED: ${r.errors[0] ?? ''}` : ''}; log ${gaps.gapFree ? `verified gap-free and hash-chained 1..${gaps.count}` : `FAILED verification: ${gaps.finding ?? `${gaps.count} events`}`}${target}`,
      });
      const spent = cpuPerAppend(r);
      const baseSpent = cpuPerAppend(base);
      if (store === 'mariadb' && spent !== undefined && baseSpent !== undefined) {
        rows.push({
          name: `append CPU per message, all processes, MariaDB, ${concurrency} client${concurrency === 1 ? '' : 's'}`,
          value: spent,
          unit: 'µs',
          baseline: { name: `${baseName}: client + MariaDB`, value: baseSpent },
          ratio: spent / baseSpent,
          note:
            `client ${fmt(r.clientCpuUsPerAppend)} + server ${fmt(r.serverCpuUsPerAppend ?? Number.NaN)} + MariaDB ${fmt(r.databaseCpuUsPerAppend ?? Number.NaN)} µs ` +
            `(raw: client ${fmt(base.clientCpuUsPerAppend)} + MariaDB ${fmt(base.databaseCpuUsPerAppend ?? Number.NaN)}); ` +
            `CPU ceiling on ${cores} cores: ${fmt((cores * 1e6) / spent)} msg/s (raw ${fmt((cores * 1e6) / baseSpent)})`,
        });
      }
      rows.push({
        name: `append p99 latency, ${storeName}, ${concurrency} client${concurrency === 1 ? '' : 's'}`,
        value: r.p99,
        unit: 'ms',
        baseline: { name: `${baseName} p99 (p50 ${fmt(base.p50)})`, value: base.p99 },
        ratio: r.p99 / base.p99,
        note: `p50 ${fmt(r.p50)} ms, max ${fmt(r.max)} ms`,
      });
    }
  }
  rows.push(...seedStyleRows(levels, seed, stores.mariadb));
  const node20 = stores.mariadb.levels.find((l) => l.concurrency === referenceLevel);
  const n24 = onNode24?.levels[0];
  if (node24 && node20 && n24) {
    rows.push({
      name: `append via GraphQL, MariaDB, ${referenceLevel} clients, server on Node 24`,
      value: n24.perSecond,
      unit: 'msg/s',
      baseline: { name: `the same on ${process.version}`, value: node20.perSecond },
      ratio: n24.perSecond / node20.perSecond,
      note: `${node24.version}: p50 ${fmt(n24.p50)} ms, p99 ${fmt(n24.p99)} ms; server CPU ${fmt(n24.serverCpuUsPerAppend ?? Number.NaN)} µs/append (${process.version}: ${fmt(node20.serverCpuUsPerAppend ?? Number.NaN)})${n24.failures ? `; ${n24.failures} FAILED: ${n24.errors[0] ?? ''}` : ''}; log ${onNode24.gaps.gapFree ? 'verified gap-free' : 'FAILED verification'}`,
    });
  }
  const base = raw.single.find((r) => r.concurrency === referenceLevel);
  if (base) {
    const baseline = { name: `raw mysql2 1-row INSERT/txn, ${referenceLevel} conn`, value: base.perSecond };
    rows.push({
      name: `reference: raw mysql2 100-row INSERT/txn, ${referenceLevel} conn`,
      value: raw.batch100.perSecond,
      unit: 'events/s',
      baseline,
      ratio: raw.batch100.perSecond / base.perSecond,
      note: `the ceiling when appends share a transaction; p50 ${fmt(raw.batch100.p50)} ms per transaction`,
    });
    const storeSpent = storeOnly.clientCpuUsPerAppend + (storeOnly.databaseCpuUsPerAppend ?? Number.NaN);
    rows.push({
      name: `reference: Thrds commands + store in one process (no HTTP, no GraphQL), MariaDB, ${referenceLevel} writers`,
      value: storeOnly.perSecond,
      unit: 'msg/s',
      baseline,
      ratio: storeOnly.perSecond / base.perSecond,
      note:
        `what the server could reach if HTTP and GraphQL cost nothing; p50 ${fmt(storeOnly.p50)} ms, p99 ${fmt(storeOnly.p99)} ms; ` +
        `CPU per message: Node ${fmt(storeOnly.clientCpuUsPerAppend)} + MariaDB ${fmt(storeOnly.databaseCpuUsPerAppend ?? Number.NaN)} µs (ceiling on ${cores} cores ${fmt((cores * 1e6) / storeSpent)} msg/s)` +
        `${storeOnly.failures ? `; ${storeOnly.failures} FAILED: ${storeOnly.errors[0] ?? ''}` : ''}`,
    });
    rows.push({
      name: `reference: raw mysql2 counter row FOR UPDATE per event, ${referenceLevel} conn`,
      value: raw.counter.perSecond,
      unit: 'events/s',
      baseline,
      ratio: raw.counter.perSecond / base.perSecond,
      note: `gap-free positions taken one message at a time (4 round trips under the lock): the floor; p50 ${fmt(raw.counter.p50)} ms, p99 ${fmt(raw.counter.p99)} ms`,
    });
  }
  return rows;
};

/** Thrds postMessage on MariaDB against the seed-style stack at each level: rate (target ≥ 1×) and p99 (target ≤ 1.5×). */
function seedStyleRows(levels: readonly number[], seed: readonly LevelResult[], mariadb: { levels: LevelResult[]; gaps: GapCheck }): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const concurrency of levels) {
    const base = seed.find((r) => r.concurrency === concurrency);
    const r = mariadb.levels.find((l) => l.concurrency === concurrency);
    if (!base || !r) continue;
    const clients = `${concurrency} client${concurrency === 1 ? '' : 's'}`;
    const baseName = `seed-style (HTTP, mysql2 autocommit INSERT, socket.io emit), ${clients}`;
    const cpu = (l: LevelResult) => fmt(l.serverCpuUsPerAppend ?? Number.NaN);
    rows.push({
      name: `append via GraphQL vs seed-style stack, MariaDB, ${clients}`,
      value: r.perSecond,
      unit: 'msg/s',
      baseline: { name: baseName, value: base.perSecond },
      ratio: r.perSecond / base.perSecond,
      note:
        `Thrds p50 ${fmt(r.p50)} / p99 ${fmt(r.p99)} ms, server CPU ${cpu(r)} µs/append; seed-style p50 ${fmt(base.p50)} / p99 ${fmt(base.p99)} ms, server CPU ${cpu(base)} µs/append` +
        `${base.failures ? `; seed-style ${base.failures} FAILED: ${base.errors[0] ?? ''}` : ''}; Thrds log ${mariadb.gaps.gapFree ? 'verified gap-free and hash-chained' : 'FAILED verification'}; target ≥1×`,
    });
    rows.push({
      name: `append p99 vs seed-style stack, MariaDB, ${clients}`,
      value: r.p99,
      unit: 'ms',
      baseline: { name: `${baseName} p99`, value: base.p99 },
      ratio: r.p99 / base.p99,
      note: `target ≤1.5×; p50 ${fmt(r.p50)} vs ${fmt(base.p50)} ms`,
    });
  }
  return rows;
}
