/**
 * Prometheus metrics (`prom-client`), one registry per app: tests run
 * several servers in one process, and a registry of their own keeps their
 * names from colliding. Appends and HTTP requests are counted as they
 * happen; everything the server already keeps count of (connections,
 * subscriptions, deliveries, refusals, the pool) is read when scraped.
 * Process metrics (CPU, memory, event loop lag, GC) come from one registry
 * for the whole process, merged in at each scrape.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppendObserver } from '../events/appendObserver.ts';
import { expectedFailure } from './log.ts';
import { beforeDeadline, timedOut } from '../db/deadline.ts';
import { onSearch } from '../search/searchTimings.ts';
import type { ReplicaStatus } from '../db/readReplica.ts';

/** A transport's long-lived streams, as the WebSocket gateway and the SSE guard count them. */
export interface StreamStats {
  readonly connections: number;
  readonly subscriptions: number;
  readonly deliveries: number;
  readonly slowConsumerDrops: number;
}

export interface PoolStats {
  readonly size: number;
  readonly inUse: number;
  readonly waiting: number;
}

export interface MetricSources {
  readonly store: { observe(observer: AppendObserver): () => void; head(): Promise<{ readonly position: number }> };
  readonly feed: { readonly head: number };
  readonly websocket: StreamStats;
  readonly sse: StreamStats;
  readonly rateLimits: { readonly refusals: Readonly<Record<string, number>> };
  readonly pool: () => PoolStats;
  /** Absent without REDIS_URL. */
  readonly redisConnected?: () => boolean;
  /** myThreads watchers and the updates slow ones lost (src/unread/threadUpdates.ts). */
  readonly threadUpdates?: () => { readonly watchers: number; readonly dropped: number };
  /** The read replica (DATABASE_READ_URL), when there is one. */
  readonly replica?: { readonly current: ReplicaStatus };
}

export interface Metrics {
  readonly registry: Registry;
  /** Counts one answered HTTP request. */
  httpRequest(route: string, status: number): void;
  /** The Prometheus text of this app's metrics and the process's. */
  scrape(): Promise<{ contentType: string; body: string }>;
  close(): void;
}

/** Longest the log head query may hold up a scrape; a stalled database leaves the last value. */
const HEAD_QUERY_MS = 1000;

export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  const registers = [registry];

  const appendSeconds = new Histogram({
    name: 'thrds_append_duration_seconds',
    help: 'Time from an append being submitted to its answer (waiting for a group included)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const appends = new Counter({
    name: 'thrds_appends_total',
    help: 'Appends answered, by outcome (appended, duplicate, failed) and, for failures, error code and reason',
    labelNames: ['outcome', 'code', 'reason'] as const,
    registers,
  });
  const groupSize = new Histogram({
    name: 'thrds_append_group_size',
    help: 'Appends committed together in one transaction (group commit)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 500],
    registers,
  });
  const groupSeconds = new Histogram({
    name: 'thrds_append_group_duration_seconds',
    help: "A group's transaction, from start to commit or failure",
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const stopObserving = sources.store.observe({
    appended(seconds, outcome) {
      appendSeconds.observe(seconds);
      if ('result' in outcome) appends.inc({ outcome: outcome.result.duplicate ? 'duplicate' : 'appended' });
      else appends.inc({ outcome: 'failed', ...failureLabels(outcome.error) });
    },
    group(size, seconds, failed) {
      groupSize.observe(size);
      groupSeconds.observe({ outcome: failed ? 'failed' : 'committed' }, seconds);
    },
  });

  // Read once per scrape (scrape() refreshes it first): the head gauge and the lag must agree.
  let head = 0;
  const refreshHead = async () => {
    const read = beforeDeadline(sources.store.head(), Date.now() + HEAD_QUERY_MS, () => timedOut('log head for /metrics', HEAD_QUERY_MS));
    head = Math.max(head, (await read.catch(() => undefined))?.position ?? 0, sources.feed.head);
  };
  gauge(registry, 'thrds_log_head_position', 'Position of the last event in the log (read from the database at each scrape)', () => head);
  gauge(registry, 'thrds_log_feed_position', "Position up to which this instance's log feed has read (what subscribers are served from)", () => sources.feed.head);
  gauge(registry, 'thrds_projection_lag_events', "Events in the log this instance's log feed has not read yet (log head - feed position)", () => Math.max(0, head - sources.feed.head));

  for (const [transport, stats] of [
    ['websocket', sources.websocket],
    ['sse', sources.sse],
  ] as const) {
    gauge(registry, `thrds_${transport}_connections`, `Open ${transport === 'sse' ? 'HTTP event streams' : 'WebSocket connections'}`, () => stats.connections);
    gauge(registry, `thrds_${transport}_subscriptions`, `Live subscriptions over ${transport === 'sse' ? 'HTTP event streams' : 'WebSockets'}`, () => stats.subscriptions);
  }
  counter(registry, 'thrds_subscription_deliveries_total', 'Subscription events sent to clients, by transport', 'transport', () => ({ websocket: sources.websocket.deliveries, sse: sources.sse.deliveries }));
  counter(registry, 'thrds_slow_consumer_drops_total', 'Clients cut off for leaving more than the send buffer limit unread (WebSocket: closed 1013), by transport', 'transport', () => ({
    websocket: sources.websocket.slowConsumerDrops,
    sse: sources.sse.slowConsumerDrops,
  }));
  counter(registry, 'thrds_rate_limit_refusals_total', 'Requests refused by a rate limit, by limit', 'limit', () => sources.rateLimits.refusals);

  gauge(registry, 'thrds_db_pool_size', 'Database connections the pool may hold (SQLite: its one writer)', () => sources.pool().size);
  gauge(registry, 'thrds_db_pool_in_use', 'Database connections checked out now', () => sources.pool().inUse);
  gauge(registry, 'thrds_db_pool_waiting', 'Callers waiting for a database connection', () => sources.pool().waiting);
  const redisConnected = sources.redisConnected;
  const replica = sources.replica;
  if (replica) {
    gauge(registry, 'thrds_replica_lag_positions', 'Log positions the read replica has not applied yet (primary head - replica position)', () => replica.current.lagPositions);
    gauge(registry, 'thrds_replica_lag_seconds', "The read replica's Seconds_Behind_Master (-1 when it cannot say)", () => replica.current.lagSeconds ?? -1);
    gauge(registry, 'thrds_replica_ok', '1 while the read replica is used, 0 while it is lagging or broken and reads go to the primary', () => (replica.current.state === 'ok' ? 1 : 0));
    counter(registry, 'thrds_replica_query_reads_total', "Queries' reads meant for the read replica, by where they went (primary: the replica was behind or broken)", 'served_by', () => replica.current.reads.query);
    counter(registry, 'thrds_replica_feed_reads_total', "The log feed's reads meant for the read replica, by where they went", 'served_by', () => replica.current.reads.feed);
  }
  if (redisConnected) gauge(registry, 'thrds_redis_connected', '1 while Redis is connected (cross-instance fan-out), 0 while instances fall back to polling the log', () => (redisConnected() ? 1 : 0));
  const threadUpdates = sources.threadUpdates;
  if (threadUpdates) {
    gauge(registry, 'thrds_my_threads_watchers', 'Live myThreads subscriptions on this instance', () => threadUpdates().watchers);
    counter(registry, 'thrds_my_threads_dropped_total', 'myThreads updates a slow subscriber lost to a newer update of the same thread', 'reason', () => ({ slow: threadUpdates().dropped }));
  }

  const searchSeconds = new Histogram({
    name: 'thrds_search_duration_seconds',
    help: 'Query.search, from the resolver starting to its answer, by store and outcome (ok, refused: a typed error, failed)',
    labelNames: ['store', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const stopSearchTimings = onSearch((seconds, outcome, store) => searchSeconds.observe({ store, outcome }, seconds));

  const httpRequests = new Counter({
    name: 'thrds_http_requests_total',
    help: 'HTTP requests answered, by route and status',
    labelNames: ['route', 'status'] as const,
    registers,
  });

  return {
    registry,
    httpRequest(route, status) {
      httpRequests.inc({ route, status: String(status) });
    },
    async scrape() {
      await refreshHead();
      const merged = Registry.merge([registry, processRegistry()]);
      return { contentType: merged.contentType, body: await merged.metrics() };
    },
    close() {
      stopObserving();
      stopSearchTimings();
    },
  };
}

function gauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** A counter whose counts are kept elsewhere (monotonic numbers by label value), read at each scrape. */
function counter(registry: Registry, name: string, help: string, label: string, read: () => Readonly<Record<string, number>>): void {
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [value, count] of Object.entries(read())) this.inc({ [label]: value }, count);
    },
  });
}

function failureLabels(error: unknown): { code: string; reason?: string } {
  const expected = expectedFailure(error);
  if (!expected) return { code: 'INTERNAL_SERVER_ERROR' };
  const reason = (expected as { reason?: unknown }).reason;
  return typeof reason === 'string' ? { code: expected.code, reason } : { code: expected.code };
}

let processMetrics: Registry | undefined;

/** CPU, memory, handles, event loop lag and GC for the whole process: one set, however many apps it runs. */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics, prefix: 'thrds_' });
  }
  return processMetrics;
}
