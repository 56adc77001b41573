/**
 * Audit and replay tools: events/s for `verify`, `export`, `import` (the
 * exported file into an empty store of the same kind) and a full `rebuild`
 * of a synthetic log (1,000,000 events; 5,000 under --quick) on SQLite and
 * MariaDB, each beside the raw rate of scanning the same table with a plain
 * SELECT in the same run. Targets (issue 17): verify and export at least
 * 0.7× the raw rate, import and rebuild at least 0.5×.
 * THRDS_BENCH_LOG_EVENTS overrides the log size.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { exportLog } from '../src/audit/exportLog.ts';
import { importLog } from '../src/audit/importLog.ts';
import { readLineBatches } from '../src/cli/readLines.ts';
import { verifyLog } from '../src/audit/verifyLog.ts';
import { LineWriter } from '../src/cli/output.ts';
import type { Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/openDatabase.ts';
import { EVENT_COLUMNS } from '../src/events/eventRows.ts';
import { rebuildProjections } from '../src/projections/rebuild.ts';
import { seedLog } from './logTools/seedLog.ts';
import { type ScratchDatabase, scratchMysqlDatabase, scratchSqliteDatabase } from './support/scratchDatabases.ts';
import type { BenchModule, BenchRow } from './types.ts';

interface Timing {
  readonly wall: number;
  /** This process's CPU seconds (user + system): all of SQLite's work, none of the MariaDB server's. */
  readonly cpu: number;
}

/**
 * Wall and CPU seconds. The machine is shared, and other load stretches wall
 * time unevenly between the scan and the tools; CPU time of an in-process
 * store (SQLite) is not stretched, so its ratio is the one that holds.
 */
async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 };
}

const faster = (a: Timing, b: Timing): Timing => (a.wall <= b.wall ? a : b);

/** Written the way process.stdout writes to a file (`thrds export > log.jsonl`): synchronously. */
function syncFile(path: string): Writable {
  const fd = openSync(path, 'w');
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writeSync(fd, chunk);
      callback();
    },
    final(callback) {
      closeSync(fd);
      callback();
    },
  });
}

/** The baseline: every column of every row, in position order, through the same streaming query path. */
async function rawScan(db: Database): Promise<number> {
  let rows = 0;
  for await (const _row of db.stream(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position`)) rows += 1;
  return rows;
}

const TARGETS = { verify: 0.7, export: 0.7, import: 0.5, rebuild: 0.5 } as const;

async function measureStore(label: string, scratch: ScratchDatabase, importScratch: ScratchDatabase, count: number): Promise<BenchRow[]> {
  const db = await openDatabase(scratch.url);
  const dir = mkdtempSync(join(tmpdir(), 'thrds-logtools-'));
  const file = join(dir, 'log.jsonl');
  try {
    await migrate(db);
    const seeding = await timed(() => seedLog(db, count));
    console.error(`[logTools] ${label}: seeded ${count} events in ${seeding.wall.toFixed(1)} s`);
    await rawScan(db); // warm the cache so the first tool measured is not the one that pays for it
    const scan = faster(await timed(() => rawScan(db)), await timed(() => rawScan(db)));
    const raw = count / scan.wall;

    const verifySeconds = await timed(async () => {
      const result = await verifyLog(db, { parallel: { url: scratch.url } });
      if (result.finding || result.count !== count) throw new Error(`verify failed on the seeded log: ${JSON.stringify(result)}`);
    });
    const exportSeconds = await timed(async () => {
      const sink = syncFile(file);
      const written = await exportLog(db, new LineWriter(sink));
      await new Promise<void>((resolve) => sink.end(() => resolve()));
      if (written !== count) throw new Error(`export wrote ${written} of ${count}`);
    });
    const rebuildSeconds = await timed(async () => {
      const result = await rebuildProjections(db);
      if (result.position !== count) throw new Error(`rebuild stopped at ${result.position} of ${count}`);
    });
    const target = await openDatabase(importScratch.url);
    let importSeconds: Timing;
    try {
      await migrate(target);
      importSeconds = await timed(async () => {
        const head = await importLog(target, readLineBatches(createReadStream(file)));
        if (head.position !== count) throw new Error(`import stopped at ${head.position} of ${count}`);
      });
    } finally {
      await target.close();
      await importScratch.drop();
    }

    const baseline = { name: `plain SELECT scan, ${label}`, value: Math.round(raw) };
    const row = (tool: string, target: number, time: Timing, extra = ''): BenchRow => {
      const value = Math.round(count / time.wall);
      const ratio = value / raw;
      const cpuRatio = scan.cpu / time.cpu;
      return {
        name: `${tool}, ${label}, ${count.toLocaleString('en-US')} events`,
        value,
        unit: 'events/s',
        baseline,
        ratio: Number(ratio.toFixed(2)),
        note: `${time.wall.toFixed(1)} s; target ≥ ${target}× raw scan: ${ratio >= target ? 'met' : 'NOT met'}; CPU ${time.cpu.toFixed(1)} s against the scan's ${scan.cpu.toFixed(1)} s (${cpuRatio.toFixed(2)}×)${extra}`,
      };
    };
    return [
      row('thrds verify (hash chain)', TARGETS.verify, verifySeconds),
      row('thrds export (JSON lines)', TARGETS.export, exportSeconds, '; to a file'),
      row('thrds import (log only, chain checked)', TARGETS.import, importSeconds, '; the exported file into an empty store'),
      row('thrds rebuild (all read models)', TARGETS.rebuild, rebuildSeconds, '; writes ~1 row per event into indexed tables'),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.close();
    await scratch.drop();
  }
}

/** Seeding two stores with 1,000,000 events (messages with erasable content) takes three minutes of it. */
export const fullRunTimeoutMs = 900_000;

export const run: BenchModule = async ({ quick, mysqlUrl }) => {
  const count = Number(process.env.THRDS_BENCH_LOG_EVENTS ?? (quick ? 5_000 : 1_000_000));
  return [
    ...(await measureStore('SQLite', scratchSqliteDatabase(), scratchSqliteDatabase(), count)),
    ...(await measureStore('MariaDB', scratchMysqlDatabase(mysqlUrl), scratchMysqlDatabase(mysqlUrl), count)),
  ];
};
