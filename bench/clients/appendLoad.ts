/**
 * Append load: `concurrency` closed-loop clients in this process, each
 * appending one message after another for a fixed time, either through
 * Thrds' `postMessage` over HTTP (each client its own keep-alive connection,
 * see leanHttp.ts), through the seed-style baseline's `POST /messages` the
 * same way, through its command layer in this process (no HTTP), or as raw
 * mysql2 single-row INSERTs, one transaction each, into a table of the events
 * table's shape, or to a fan-out baseline's `POST /publish/<room>` (the
 * write-load bench's writers). Each client appends as fast as its answers
 * come back, or at most `ratePerClient` a second. Reports throughput,
 * latency and this process's CPU share.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { cpuShare, failToParent, serveParent, sendToParent } from '../support/childRuntime.ts';
import type { IpcMessage } from '../support/childProcesses.ts';
import { POST_MESSAGE } from '../support/graphqlHttp.ts';
import { LeanGraphqlConnection } from '../support/leanHttp.ts';
import { streamOf } from '../../src/events/types.ts';
import { newEvent } from '../../src/modules/eventModule.ts';
import { createThread } from '../../src/modules/threadCreated.ts';
import { userRegistered } from '../../src/modules/userRegistered.ts';
import { postMessage } from '../../src/modules/messagePosted.ts';
import { openThrds } from '../../src/openThrds.ts';
import { createRateLimits } from '../../src/protection/rateLimits.ts';
import { relaxedProtection } from '../../test/support/protection.ts';
import { ReadCache } from '../../src/projections/readCache.ts';
import { Histogram } from '../support/histogram.ts';

/**
 * single: one INSERT per autocommit transaction (the baseline);
 * batch100: 100 rows per INSERT and transaction (the ceiling grouping can reach);
 * counter: a gap-free position taken from a counter row with SELECT … FOR UPDATE,
 * then INSERT, UPDATE, COMMIT: four round trips under the lock (the floor).
 */
export type MysqlMode = 'single' | 'batch100' | 'counter';

export interface AppendRun extends IpcMessage {
  readonly type: 'run';
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Appends a second per client at most (paced from the start; a client that falls behind catches up): unset, as fast as it can. */
  readonly ratePerClient?: number;
  readonly target:
    | { readonly kind: 'thrds'; readonly baseUrl: string; readonly tokens: readonly string[]; readonly threadIds: readonly string[] }
    /** The command layer and event store in this process (no HTTP, no GraphQL): the most the server could get out of them. */
    | { readonly kind: 'store'; readonly databaseUrl: string }
    /** The seed-style baseline (bench/baselines/seedStyleServer.ts): POST /messages, one INSERT, a socket.io emit. */
    | { readonly kind: 'seed'; readonly baseUrl: string; readonly threadIds: readonly string[] }
    | { readonly kind: 'mysql'; readonly url: string; readonly table: string; readonly mode: MysqlMode }
    /** A fan-out baseline (bench/baselines/wsBroadcastServer.ts): client i publishes into rooms[i % rooms.length]. */
    | { readonly kind: 'publish'; readonly baseUrl: string; readonly rooms: readonly string[] };
}

export interface AppendResult extends IpcMessage {
  readonly type: 'result';
  readonly appends: number;
  /** Including the warm-up, to divide the server's CPU time over the whole run by. */
  readonly allAppends: number;
  readonly failures: number;
  readonly errors: readonly string[];
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly cpuShare: number;
}

const BODY = 'The quick brown fox jumps over the lazy dog, then posts a benchmark message of ordinary chat length.';

type AppendOnce = (client: number) => Promise<void>;

async function prepare(run: AppendRun): Promise<{ append: AppendOnce; batchSize: number; close(): Promise<void> }> {
  const target = run.target;
  if (target.kind === 'thrds') {
    const url = new URL('/graphql', target.baseUrl);
    const connections = Array.from({ length: run.concurrency }, (_, i) => new LeanGraphqlConnection(url, target.tokens[i % target.tokens.length] ?? ''));
    return {
      batchSize: 1,
      append: async (client) => {
        const threadId = target.threadIds[client % target.threadIds.length] ?? '';
        await connections[client]!.request(POST_MESSAGE, { t: threadId, b: BODY, k: randomUUID() });
      },
      close: async () => connections.forEach((c) => c.close()),
    };
  }
  if (target.kind === 'seed') {
    const url = new URL('/messages', target.baseUrl);
    const connections = Array.from({ length: run.concurrency }, () => new LeanGraphqlConnection(url, ''));
    const authors = Array.from({ length: run.concurrency }, () => randomUUID());
    return {
      batchSize: 1,
      append: async (client) => {
        const threadId = target.threadIds[client % target.threadIds.length] ?? '';
        await connections[client]!.postJson({ threadId, authorId: authors[client], body: BODY });
      },
      close: async () => connections.forEach((c) => c.close()),
    };
  }
  if (target.kind === 'publish') {
    const connections = Array.from({ length: run.concurrency }, (_, i) => new LeanGraphqlConnection(new URL(`/publish/${target.rooms[i % target.rooms.length] ?? ''}`, target.baseUrl), ''));
    return {
      batchSize: 1,
      append: async (client) => {
        await connections[client]!.postJson({ body: BODY });
      },
      close: async () => connections.forEach((c) => c.close()),
    };
  }
  if (target.kind === 'store') {
    const thrds = await openThrds({ databaseUrl: target.databaseUrl });
    const deps = { store: thrds.store, db: thrds.db, clock: Date.now, newId: randomUUID, readCache: new ReadCache(thrds.db), rateLimits: createRateLimits(relaxedProtection().rates) };
    const actors = Array.from({ length: run.concurrency }, () => ({ userId: randomUUID(), correlationId: randomUUID() }));
    // Writers must be users the read model knows (every write checks their standing): registered as the log has them.
    await Promise.all(
      actors.map((actor, i) =>
        thrds.store.append({
          streamId: streamOf.user(actor.userId),
          events: [newEvent(userRegistered, { userId: actor.userId, username: `bench_${i}_${actor.userId.slice(0, 8)}`, displayName: `Bench ${i}`, role: 'MEMBER' })],
          metadata: { actorId: actor.userId, correlationId: actor.correlationId, causationId: null },
          expectedVersion: 'no_stream',
        }),
      ),
    );
    const threadIds = await Promise.all(actors.map(async (actor, i) => (await createThread(deps, actor, { title: `store ${i}` })).thread.id));
    return {
      batchSize: 1,
      append: async (client) => {
        await postMessage(deps, actors[client]!, { threadId: threadIds[client]!, body: BODY, idempotencyKey: randomUUID() });
      },
      close: () => thrds.close(),
    };
  }
  const pool = mysql.createPool({ uri: target.url, connectionLimit: run.concurrency, maxIdle: run.concurrency, charset: 'utf8mb4_unicode_ci' });
  // Open every connection before timing starts.
  const conns = await Promise.all(Array.from({ length: run.concurrency }, () => pool.getConnection()));
  for (const conn of conns) conn.release();
  const versions = new Array<number>(run.concurrency).fill(0);
  const streams = Array.from({ length: run.concurrency }, () => `thread-${randomUUID()}`);
  const columns = 'event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, hash';
  const row = (client: number): unknown[] => {
    const version = (versions[client] = (versions[client] ?? 0) + 1);
    const data = JSON.stringify({ messageId: randomUUID(), threadId: streams[client], body: BODY, replyToId: null, format: 'plain' });
    const metadata = JSON.stringify({ actorId: randomUUID(), correlationId: randomUUID(), causationId: null });
    const hash = createHash('sha256').update(data).update(randomBytes(8)).digest('hex');
    return [randomUUID(), streams[client], version, 'MessagePosted', 2, data, metadata, Date.now(), hash];
  };
  const table = `\`${target.table}\``;
  const single = `INSERT INTO ${table} (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  const batch = `INSERT INTO ${table} (${columns}) VALUES ${Array.from({ length: 100 }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`;
  const counted = `INSERT INTO ${table} (position, ${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  return {
    batchSize: target.mode === 'batch100' ? 100 : 1,
    append: async (client) => {
      if (target.mode === 'single') {
        await pool.query(single, row(client));
        return;
      }
      const conn = await pool.getConnection();
      try {
        await conn.query('BEGIN');
        if (target.mode === 'batch100') {
          await conn.query(batch, Array.from({ length: 100 }, () => row(client)).flat());
        } else {
          const [rows] = await conn.query(`SELECT position FROM \`${target.table}_head\` WHERE id = 1 FOR UPDATE`);
          const position = Number((rows as { position: number }[])[0]?.position ?? 0) + 1;
          await conn.query(counted, [position, ...row(client)]);
          await conn.query(`UPDATE \`${target.table}_head\` SET position = ? WHERE id = 1`, [position]);
        }
        await conn.query('COMMIT');
      } catch (error) {
        await conn.query('ROLLBACK');
        throw error;
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}

async function run(message: IpcMessage): Promise<AppendResult> {
  const request = message as AppendRun;
  const { append, batchSize, close } = await prepare(request);
  const histogram = new Histogram();
  const errors: string[] = [];
  let appends = 0;
  let allAppends = 0;
  let failures = 0;
  let measuring = false;
  let stopped = false;
  const pacedFrom = performance.now();
  const client = async (index: number) => {
    for (let sent = 0; !stopped; sent++) {
      if (request.ratePerClient) {
        const wait = pacedFrom + (sent * 1000) / request.ratePerClient - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait)); // pacing to the requested rate
      }
      const started = performance.now();
      try {
        await append(index);
        allAppends += batchSize;
        if (measuring) {
          appends += batchSize;
          histogram.record(performance.now() - started);
        }
      } catch (error) {
        failures++;
        if (errors.length < 5) errors.push(String(error));
        if (failures > 1000) stopped = true;
      }
    }
  };
  const clients = Array.from({ length: request.concurrency }, (_, i) => client(i));
  await new Promise((resolve) => setTimeout(resolve, request.warmupMs)); // the warm-up and measuring windows are what the bench times
  measuring = true;
  const startCpu = process.cpuUsage();
  const startWall = performance.now();
  await new Promise((resolve) => setTimeout(resolve, request.durationMs));
  measuring = false;
  const elapsed = performance.now() - startWall;
  const cpu = cpuShare(startCpu, startWall);
  stopped = true;
  await Promise.all(clients);
  await close();
  return {
    type: 'result',
    appends,
    allAppends,
    failures,
    errors,
    perSecond: (appends / elapsed) * 1000,
    p50: histogram.quantile(0.5),
    p99: histogram.quantile(0.99),
    max: histogram.max,
    cpuShare: cpu.share,
  };
}

serveParent({ run, stop: () => process.exit(0) });
process.on('uncaughtException', failToParent);
sendToParent({ type: 'started' });
