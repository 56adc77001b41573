/**
 * What an attacker's worst request costs: against a thread of 10,000
 * messages (3,000 in --quick), the costliest documents the operation limits
 * still accept, sent anonymously, one family at a time (a whole-thread
 * `asOf` fold, aliases of `messages(last:)`, of `events(first:)`,
 * introspection). Per request: the server's CPU time, its peak RSS growth
 * while answering, the heap it keeps after a GC, and the response size;
 * baseline: `{ __typename }` on the same server in the same run. Then
 * `/healthz` p99 while 20 of the worst run at once; baseline: `/healthz` p99
 * on the idle server.
 */
import http from 'node:http';
import type { BenchModule, BenchRow } from './types.ts';
import { type AttackDocument, attackDocuments } from './support/attackDocuments.ts';
import { Histogram } from './support/histogram.ts';
import { seedLongThread } from './support/longThread.ts';
import { rssBytes } from './support/procStat.ts';
import { scratchMysqlDatabase, scratchSqliteDatabase } from './support/scratchDatabases.ts';
import { type ServerHandle, serverCpuUs, serverMemory, startThrdsServer } from './support/serverProcesses.ts';
import { fmt } from './support/table.ts';

const MIB = 1024 * 1024;

interface Answer {
  readonly status: number;
  readonly bytes: number;
  readonly ms: number;
  /** The body, when asked for (the acceptance check reads it; measurement does not, to keep the client light). */
  readonly text?: string;
}

let agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(server: ServerHandle, query: string, keepText = false): Promise<Answer> {
  const body = JSON.stringify({ query });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${server.baseUrl}/graphql`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let bytes = 0;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (keepText) chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - started, ...(keepText ? { text: Buffer.concat(chunks).toString('utf8') } : {}) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function healthz(server: ServerHandle): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(`${server.baseUrl}/healthz`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - started));
      })
      .on('error', reject);
  });
}

/** Accepted: data and no error. Anything else (QUERY_TOO_COMPLEX, RATE_LIMITED…) means the limits refuse this form. */
function accepted(answer: Answer): { ok: boolean; why: string } {
  try {
    const result = JSON.parse(answer.text ?? '') as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    if (answer.status === 200 && result.data && !result.errors?.length) return { ok: true, why: '' };
    return { ok: false, why: result.errors?.map((e) => e.extensions?.code ?? '?').join(',') ?? `HTTP ${answer.status}` };
  } catch {
    return { ok: false, why: `HTTP ${answer.status}, not JSON` };
  }
}

interface Cost {
  readonly document: AttackDocument;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly peakRssMiB: number;
  readonly retainedHeapKiB: number;
  readonly responseBytes: number;
}

/** Per request, over `runs` sequential requests: CPU (IPC, between requests), peak RSS (from /proc, every 2 ms), heap kept after a GC. */
async function cost(server: ServerHandle, document: AttackDocument, runs: number): Promise<Cost> {
  await post(server, document.query); // warm: caches, JIT, prepared statements
  const before = await serverMemory(server);
  let cpuUs = 0;
  let wallMs = 0;
  let peakRss = 0;
  let responseBytes = 0;
  for (let i = 0; i < runs; i++) {
    const rssBefore = rssBytes(server.child.pid);
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssBytes(server.child.pid));
    }, 2);
    const cpuBefore = await serverCpuUs(server);
    const answer = await post(server, document.query);
    const cpuAfter = await serverCpuUs(server);
    clearInterval(sampler);
    peak = Math.max(peak, rssBytes(server.child.pid));
    cpuUs += cpuAfter - cpuBefore;
    wallMs += answer.ms;
    peakRss = Math.max(peakRss, peak - rssBefore);
    responseBytes = answer.bytes;
  }
  const after = await serverMemory(server);
  return {
    document,
    cpuMs: cpuUs / 1000 / runs,
    wallMs: wallMs / runs,
    peakRssMiB: peakRss / MIB,
    retainedHeapKiB: (after.heapUsed - before.heapUsed) / 1024 / runs,
    responseBytes,
  };
}

/** The heaviest accepted form of each family. */
async function worstAllowed(server: ServerHandle, families: readonly AttackDocument[][]): Promise<{ allowed: AttackDocument[]; refused: string[] }> {
  const allowed: AttackDocument[] = [];
  const refused: string[] = [];
  for (const family of families) {
    let found: AttackDocument | undefined;
    let lastWhy = '';
    for (const document of family) {
      const verdict = accepted(await post(server, document.query, true));
      if (verdict.ok) {
        found = document;
        break;
      }
      lastWhy = verdict.why;
    }
    if (found) allowed.push(found);
    else refused.push(`${family[0]?.family ?? '?'} (${lastWhy})`);
  }
  return { allowed, refused };
}

async function p99Healthz(server: ServerHandle, whileRunning?: Promise<unknown>, samples = 200): Promise<{ p99: number; max: number; count: number }> {
  const histogram = new Histogram();
  let done = whileRunning === undefined;
  void whileRunning?.finally(() => (done = true));
  for (let i = 0; whileRunning ? !done : i < samples; i++) {
    histogram.record(await healthz(server));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { p99: histogram.quantile(0.99), max: histogram.max, count: histogram.count };
}

async function attackOneStore(store: 'sqlite' | 'mariadb', messages: number, runs: number, mysqlUrl: string): Promise<BenchRow[]> {
  const database = store === 'sqlite' ? scratchSqliteDatabase() : scratchMysqlDatabase(mysqlUrl);
  try {
    const seedStarted = performance.now();
    const { threadId, head } = await seedLongThread(database.url, messages);
    console.error(`[attack] ${store}: ${messages} messages seeded in ${fmt((performance.now() - seedStarted) / 1000)} s`);
    const server = await startThrdsServer({ databaseUrl: database.url, name: `thrds server (attack, ${store})` });
    try {
      const label = `${store}, ${messages}-message thread`;
      const { allowed, refused } = await worstAllowed(server, attackDocuments(threadId, head));
      const baseline = await cost(server, { family: 'baseline', shape: '{ __typename }', query: '{ __typename }' }, runs * 4);
      const costs: Cost[] = [];
      for (const document of allowed) {
        const measured = await cost(server, document, runs);
        costs.push(measured);
        console.error(`[attack] ${store}: ${document.shape}: ${fmt(measured.cpuMs)} ms CPU, ${fmt(measured.wallMs)} ms, ${fmt(measured.responseBytes / 1024)} KiB answer, peak RSS +${fmt(measured.peakRssMiB)} MiB`);
      }
      const worst = costs.reduce<Cost | undefined>((w, c) => (!w || c.cpuMs > w.cpuMs ? c : w), undefined);
      const rows: BenchRow[] = costs.map((c) => ({
        name: `attack ${label}: ${c.document.shape}, server CPU per request`,
        value: c.cpuMs,
        unit: 'ms',
        baseline: { name: '{ __typename }', value: baseline.cpuMs },
        ratio: c.cpuMs / baseline.cpuMs,
        note: `${fmt(c.wallMs)} ms wall, ${fmt(c.responseBytes / 1024)} KiB answer; the heaviest ${c.document.family} the limits accept (CPU includes two IPC readings, as the baseline's does)`,
      }));
      if (refused.length) console.error(`[attack] ${store}: refused in every form tried: ${refused.join('; ')}`);
      if (!worst) return [...rows, { name: `attack ${label}: every candidate refused`, value: 0, unit: '', note: refused.join('; ') }];

      rows.push(
        {
          name: `attack ${label}: worst request, peak RSS growth while answering`,
          value: worst.peakRssMiB,
          unit: 'MiB',
          baseline: { name: '{ __typename }', value: baseline.peakRssMiB },
          ...(baseline.peakRssMiB > 0 ? { ratio: worst.peakRssMiB / baseline.peakRssMiB } : {}),
          note: `${worst.document.shape}; RSS sampled every 2 ms from /proc, max over ${runs} runs`,
        },
        {
          name: `attack ${label}: worst request, heap kept after GC per request`,
          value: worst.retainedHeapKiB,
          unit: 'KiB',
          baseline: { name: '{ __typename }', value: baseline.retainedHeapKiB },
          note: 'heapUsed after a forced GC, after minus before, ÷ requests: ~0 means nothing leaks',
        },
      );

      const idle = await p99Healthz(server);
      const concurrent = 20;
      const rssBefore = rssBytes(server.child.pid);
      let rssPeak = rssBefore;
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, rssBytes(server.child.pid));
      }, 2);
      const started = performance.now();
      const attack = Promise.all(Array.from({ length: concurrent }, () => post(server, worst.document.query, true)));
      const busy = await p99Healthz(server, attack).finally(() => clearInterval(sampler));
      const answers = await attack;
      const attackSeconds = (performance.now() - started) / 1000;
      const outcomes = new Map<string, number>();
      for (const a of answers) {
        const verdict = accepted(a);
        const key = verdict.ok ? 'answered' : verdict.why;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }
      rows.push({
        name: `attack ${label}: /healthz p99 while ${concurrent} worst requests run`,
        value: busy.p99,
        unit: 'ms',
        baseline: { name: '/healthz p99, idle', value: idle.p99 },
        ratio: busy.p99 / idle.p99,
        note: `${worst.document.shape}; ${busy.count} polls over ${fmt(attackSeconds)} s, max ${fmt(busy.max)} ms; ${[...outcomes].map(([k, n]) => `${n} ${k}`).join(', ')}`,
      });
      rows.push({
        name: `attack ${label}: peak RSS growth while ${concurrent} worst requests run`,
        value: (rssPeak - rssBefore) / MIB,
        unit: 'MiB',
        baseline: { name: 'one worst request', value: worst.peakRssMiB },
        ...(worst.peakRssMiB > 0 ? { ratio: (rssPeak - rssBefore) / MIB / worst.peakRssMiB } : {}),
        note: 'RSS sampled every 2 ms from /proc',
      });
      return rows;
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}

export const run: BenchModule = async (options) => {
  const messages = options.quick ? 3000 : 10_000;
  const runs = options.quick ? 2 : 5;
  const stores = options.quick ? (['sqlite'] as const) : (['sqlite', 'mariadb'] as const);
  const rows: BenchRow[] = [];
  agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  try {
    for (const store of stores) rows.push(...(await attackOneStore(store, messages, runs, options.mysqlUrl)));
  } finally {
    agent.destroy();
  }
  return rows;
};
