/**
 * The shared rig of the fan-out and memory benches: one server of a given
 * kind in its own process, subscriber processes holding N connections to
 * one thread, a poster process, and the warm-up that proves every
 * subscription is live before anything is measured.
 */
import type { BenchChild } from './childProcesses.ts';
import { spawnBenchChild } from './childProcesses.ts';
import { randomUUID } from 'node:crypto';
import { createThread, graphqlHttpClient, POST_MESSAGE, registerUser, THREAD_BY_ID } from './graphqlHttp.ts';
import { scratchMysqlDatabase, scratchSqliteDatabase, type ScratchDatabase } from './scratchDatabases.ts';
import { startBaselineServer, startThrdsServer, type ServerHandle } from './serverProcesses.ts';
import type { ConnectRequest, SubscriberProtocol } from '../clients/subscribers.ts';
import type { PosterConfig } from '../clients/poster.ts';
import { node24 } from './otherNode.ts';
import { waitFor } from '../../test/support/waitFor.ts';

export type ServerKind = 'thrds' | 'thrds-node24' | 'ws' | 'socket.io' | 'graphql-ws';

export const serverLabel: Readonly<Record<ServerKind, string>> = {
  thrds: 'Thrds',
  'thrds-node24': `Thrds on Node 24 (${node24?.version ?? 'not set'})`,
  ws: 'raw ws',
  'socket.io': 'socket.io room',
  'graphql-ws': 'stock graphql-ws',
};

export interface RigOptions {
  readonly kind: ServerKind;
  readonly subscribers: number;
  readonly subscriberProcesses: number;
  /** sqlite or a MariaDB server URL (no database) for Thrds. */
  readonly store: 'sqlite' | { readonly mysqlUrl: string };
  readonly cpuProfileDir?: string;
  readonly padTo: number;
  /** More environment for a Thrds server (e.g. THRDS_BENCH_TRACE=1). */
  readonly serverEnv?: Readonly<Record<string, string>>;
  /** Runs once the server is up (and Thrds has its user and thread), before any subscriber connects. */
  readonly beforeConnect?: (server: ServerHandle, poster: BenchChild) => Promise<void>;
}

export interface Rig {
  readonly server: ServerHandle;
  readonly subscribers: readonly BenchChild[];
  readonly poster: BenchChild;
  readonly connectMs: number;
  /** Posts warm-up messages until every subscriber has received one. */
  warmUp(timeoutMs: number): Promise<number>;
  /** Sum of a numeric field over every subscriber process's reply. */
  progress(phase: number): Promise<{ received: number; ready: number; closed: number }>;
  close(): Promise<void>;
}

/** The Thrds server, on the bench's runtime or on Node 24 beside it. */
export const isThrds = (kind: ServerKind): kind is 'thrds' | 'thrds-node24' => kind === 'thrds' || kind === 'thrds-node24';

const protocolOf: Readonly<Record<ServerKind, SubscriberProtocol>> = {
  thrds: 'graphql-ws',
  'thrds-node24': 'graphql-ws',
  'graphql-ws': 'graphql-ws',
  ws: 'ws',
  'socket.io': 'socket.io',
};

export async function openRig(options: RigOptions): Promise<Rig> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        console.error(`[bench] cleanup: ${String(error)}`);
      }
    }
  };
  try {
    const serverFiles = options.subscribers + 1024;
    let server: ServerHandle;
    let database: ScratchDatabase | undefined;
    let token = '';
    let threadId = 'thread';
    if (isThrds(options.kind)) {
      database = options.store === 'sqlite' ? scratchSqliteDatabase() : scratchMysqlDatabase(options.store.mysqlUrl);
      const db = database;
      cleanups.push(() => db.drop());
      server = await startThrdsServer({
        databaseUrl: database.url,
        openFiles: serverFiles,
        ...(options.kind === 'thrds-node24' && node24 ? { node: node24.path } : {}),
        ...(options.cpuProfileDir ? { cpuProfileDir: options.cpuProfileDir } : {}),
        ...(options.serverEnv ? { env: options.serverEnv } : {}),
      });
      const client = graphqlHttpClient(server.baseUrl, 64);
      try {
        token = await registerUser(client, 'fanout');
        threadId = await createThread(client, token, 'fan-out bench');
        // Concurrent posts and reads open the server's whole database pool now (posts alone
        // share a few connections), so that memory measured from here on is the subscribers'.
        const t = threadId;
        for (let round = 0; round < 3; round++) {
          await Promise.all([
            ...Array.from({ length: 16 }, (_, i) => client.request(POST_MESSAGE, { t, b: `pool warm-up ${i}`, k: randomUUID() }, token)),
            ...Array.from({ length: 48 }, () => client.request(THREAD_BY_ID, { t })),
          ]);
        }
      } finally {
        client.close();
      }
    } else {
      const script = { ws: 'wsBroadcastServer', 'socket.io': 'socketIoRoomServer', 'graphql-ws': 'graphqlWsServer' }[options.kind];
      server = await startBaselineServer(`bench/baselines/${script}.ts`, serverLabel[options.kind], serverFiles, options.cpuProfileDir);
    }
    const srv = server;
    cleanups.push(() => srv.stop());

    const perProcess = Math.ceil(options.subscribers / options.subscriberProcesses);
    const subscribers: BenchChild[] = [];
    for (let i = 0; i < options.subscriberProcesses; i++) {
      const child = spawnBenchChild('bench/clients/subscribers.ts', { name: `subscribers #${i + 1}`, openFiles: perProcess + 1024 });
      cleanups.push(() => child.stop());
      subscribers.push(child);
    }
    const poster = spawnBenchChild('bench/clients/poster.ts', { name: 'poster' });
    cleanups.push(() => poster.stop());
    await Promise.all([...subscribers, poster].map((child) => child.next('started', 30_000)));
    const posterConfig: PosterConfig = {
      type: 'config',
      target: isThrds(options.kind) ? 'thrds' : 'publish',
      baseUrl: server.baseUrl,
      token,
      threadId,
      padTo: options.padTo,
    };
    await poster.request(posterConfig, 'configured', 10_000);

    await options.beforeConnect?.(server, poster);
    const protocol = protocolOf[options.kind];
    const url =
      protocol === 'socket.io' ? server.baseUrl : `ws://127.0.0.1:${server.port}${options.kind === 'ws' ? '/' : '/graphql'}`;
    const started = performance.now();
    let remaining = options.subscribers;
    const connects = subscribers.map((child) => {
      const count = Math.min(perProcess, remaining);
      remaining -= count;
      const request: ConnectRequest = { type: 'connect', protocol, url, threadId, count, concurrency: 64 };
      return child.request<{ type: 'connected'; count: number; failed: number; errors: string[] }>(request, 'connected', 180_000);
    });
    const connected = await Promise.all(connects);
    const failed = connected.reduce((sum, c) => sum + c.failed, 0);
    if (failed > 0) throw new Error(`${failed} of ${options.subscribers} ${serverLabel[options.kind]} subscribers failed to connect: ${connected.flatMap((c) => c.errors).slice(0, 3).join('; ')}`);
    const connectMs = performance.now() - started;

    const progress = async (phase: number) => {
      const replies = await Promise.all(
        subscribers.map((child) =>
          child.request<{ type: 'progress'; received: number; ready: number; closed: number }>({ type: 'progress', phase }, 'progress', 60_000),
        ),
      );
      return {
        received: replies.reduce((s, r) => s + r.received, 0),
        ready: replies.reduce((s, r) => s + r.ready, 0),
        closed: replies.reduce((s, r) => s + r.closed, 0),
      };
    };

    return {
      server,
      subscribers,
      poster,
      connectMs,
      progress,
      async warmUp(timeoutMs) {
        const started = performance.now();
        let seq = 0;
        let lastPost = 0;
        let seen = { ready: 0, closed: 0 };
        // A warm-up message every 250 ms until every subscriber has received one.
        const everyoneReceived = async () => {
          if (performance.now() - lastPost > 250) {
            lastPost = performance.now();
            await poster.request({ type: 'postOne', phase: 0, seq: seq++ }, 'posted', 30_000);
          }
          seen = await progress(0);
          return seen.ready >= options.subscribers;
        };
        await waitFor(everyoneReceived, {
          what: `warm-up: every one of ${options.subscribers} ${serverLabel[options.kind]} subscribers to receive a message`,
          timeoutMs,
          intervalMs: 50,
          seen: () => `${seen.ready} received, ${seen.closed} closed`,
        });
        return performance.now() - started;
      },
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
