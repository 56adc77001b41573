/**
 * Memory per idle subscriber: server RSS and heap (after a forced GC, read
 * inside the server process) before and after N connections that each hold
 * one live subscription (proved by a warm-up message reaching every one),
 * divided by N. Thrds against raw ws, with socket.io and a stock graphql-ws
 * server for reference.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchModule, BenchRow } from './types.ts';
import { repoRoot } from './support/childProcesses.ts';
import { summarizeHeap, type SamplingHeapNode } from './support/heapProfileSummary.ts';
import { openRig, serverLabel, type ServerKind } from './support/fanoutRig.ts';
import { serverMemory, type ServerMemory } from './support/serverProcesses.ts';
import { fmt } from './support/table.ts';

interface MemoryResult {
  readonly kind: ServerKind;
  readonly heapKiB: number;
  readonly rssKiB: number;
  readonly externalKiB: number;
  readonly gcForced: boolean;
}

const KIB = 1024;

/** THRDS_BENCH_HEAP_PROFILE=1: sample the heap while the connections open and report what they keep alive. */
const heapProfile = Boolean(process.env.THRDS_BENCH_HEAP_PROFILE);

export const run: BenchModule = async (options) => {
  const n = Number(process.env.THRDS_BENCH_MEMORY_N ?? (options.quick ? 50 : 5000));
  const only = process.env.THRDS_BENCH_FANOUT_SERVERS?.split(',') ?? [];
  const kinds = (['ws', 'socket.io', 'graphql-ws', 'thrds'] as ServerKind[]).filter((k) => only.length === 0 || only.includes(k));
  const results: MemoryResult[] = [];
  for (const kind of kinds) {
    let before: ServerMemory | undefined;
    const rig = await openRig({
      kind,
      subscribers: n,
      subscriberProcesses: n >= 1000 ? 2 : 1,
      store: { mysqlUrl: options.mysqlUrl },
      padTo: 120,
      beforeConnect: async (server) => {
        before = await serverMemory(server);
        if (heapProfile) await server.child.request({ type: 'heapSampleStart' }, 'heapSampling', 30_000);
      },
    });
    try {
      await rig.warmUp(60_000);
      // Let the warm-up's transient buffers go before measuring.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = await serverMemory(rig.server);
      if (heapProfile) {
        const { head } = await rig.server.child.request<{ type: 'heapSampled'; head: SamplingHeapNode }>({ type: 'heapSampleStop' }, 'heapSampled', 120_000);
        const summary = summarizeHeap(head, n);
        const dir = join(repoRoot, 'bench/results/profiles');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `heap-${kind}-N${n}.txt`), summary);
        console.error(`[memory] live allocations per connection, ${serverLabel[kind]}:\n${summary}`);
      }
      if (!before) throw new Error('no memory reading before connecting');
      results.push({
        kind,
        heapKiB: (after.heapUsed - before.heapUsed) / n / KIB,
        rssKiB: (after.rss - before.rss) / n / KIB,
        externalKiB: (after.external - before.external) / n / KIB,
        gcForced: after.gcForced,
      });
      console.error(`[memory] N=${n} ${serverLabel[kind]}: connect ${fmt(rig.connectMs)} ms`);
    } finally {
      await rig.close();
    }
  }
  const base = results.find((r) => r.kind === 'ws');
  const rows: BenchRow[] = [];
  for (const r of results) {
    if (r.kind === 'ws' || !base) continue;
    const thrds = r.kind === 'thrds';
    rows.push({
      name: `memory per idle subscriber, N=${n}: heap, ${serverLabel[r.kind]}`,
      value: r.heapKiB,
      unit: 'KiB/conn',
      baseline: { name: 'raw ws', value: base.heapKiB },
      ratio: r.heapKiB / base.heapKiB,
      note: `external +${fmt(r.externalKiB)} KiB/conn (raw ws +${fmt(base.externalKiB)})${thrds ? '; target ≤8 KiB' : ''}${r.gcForced ? '' : '; GC NOT forced'}`,
    });
    rows.push({
      name: `memory per idle subscriber, N=${n}: RSS, ${serverLabel[r.kind]}`,
      value: r.rssKiB,
      unit: 'KiB/conn',
      baseline: { name: 'raw ws', value: base.rssKiB },
      ratio: r.rssKiB / base.rssKiB,
      note: thrds ? 'target ≤20 KiB' : '',
    });
  }
  return rows;
};
