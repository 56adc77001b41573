/**
 * Readiness (`/readyz`): may this instance take traffic now? Unlike
 * liveness (`/healthz`, which never touches the database), it asks the
 * database, bounded by a short deadline, and looks at what real traffic
 * met: appends failing for an outage, a log feed that cannot read, a feed
 * far behind the log. Answers are shared for a moment, so a load balancer
 * polling hard costs one probe, not one per poll.
 */
import type { Database } from '../db/database.ts';
import type { ReplicaStatus } from '../db/readReplica.ts';
import { beforeDeadline, timedOut } from '../db/deadline.ts';
import { UnavailableError } from '../errors.ts';
import type { LogFeed } from '../events/logFeed.ts';
import type { SqlEventStore } from '../events/sqlEventStore.ts';
import { dependencyLog } from '../observability/dependencyLog.ts';

const databaseLog = dependencyLog('database');

export interface ReadinessOptions {
  /** The probe's own deadline, in ms. */
  readonly probeTimeoutMs?: number;
  /** How long an answer is reused, in ms. */
  readonly cacheMs?: number;
  /** A failed append counts against readiness this long unless a commit or a write probe succeeds after it, in ms. */
  readonly writeFailureMs?: number;
  /** The log feed may be this many events behind the log before the instance stops taking traffic. */
  readonly maxFeedLag?: number;
  /** The feed must have read the log to its end within this many ms. */
  readonly maxFeedSilenceMs?: number;
  /** SQLite: a write waiting longer than this for another process's lock makes the instance unready, in ms. */
  readonly maxLockWaitMs?: number;
  /** The read replica (DATABASE_READ_URL): reported, without making the instance unready, since its reads fall back to the primary. */
  readonly replica?: { readonly current: ReplicaStatus };
}

export interface Check {
  readonly ok: boolean;
  readonly [detail: string]: unknown;
}

export interface ReadinessReport {
  readonly status: 'ready' | 'unready' | 'draining';
  readonly reasons: readonly string[];
  readonly checks: Readonly<Record<string, Check>>;
}

export class Readiness {
  private draining = false;
  /** When a probe write last succeeded: writes work again, whatever appends failed before it. */
  private probeSucceededAt = 0;
  private cached: { at: number; report: Promise<ReadinessReport> } | undefined;
  private readonly probeTimeoutMs: number;
  private readonly cacheMs: number;
  private readonly writeFailureMs: number;
  private readonly maxFeedLag: number;
  private readonly maxFeedSilenceMs: number;
  private readonly maxLockWaitMs: number;
  private readonly replica: { readonly current: ReplicaStatus } | undefined;

  constructor(
    private readonly db: Database,
    private readonly store: SqlEventStore,
    private readonly feed: LogFeed,
    options: ReadinessOptions = {},
  ) {
    this.probeTimeoutMs = options.probeTimeoutMs ?? Math.min(1000, db.timeoutMs);
    this.cacheMs = options.cacheMs ?? 250;
    this.writeFailureMs = options.writeFailureMs ?? 15_000;
    this.maxFeedLag = options.maxFeedLag ?? 10_000;
    this.maxFeedSilenceMs = options.maxFeedSilenceMs ?? 10_000;
    this.maxLockWaitMs = options.maxLockWaitMs ?? 500;
    this.replica = options.replica;
  }

  /** From now on the answer is "draining" (503), at once and without asking the database. */
  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  report(): Promise<ReadinessReport> {
    if (this.draining) return Promise.resolve({ status: 'draining', reasons: ['the server is shutting down'], checks: {} });
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.cacheMs) this.cached = { at: now, report: this.measure() };
    return this.cached.report;
  }

  private async measure(): Promise<ReadinessReport> {
    const reasons: string[] = [];
    const database = await this.probeDatabase();
    if (!database.ok) reasons.push(`database: ${String(database.error)}`);

    const writes = await this.checkWrites();
    if (!writes.ok) reasons.push(`writes: ${String(writes.error)}`);
    if (database.ok && writes.ok) databaseLog.ok();

    const lastRead = this.feed.lastRead;
    const head = typeof database.head === 'number' ? database.head : this.feed.head;
    const lag = Math.max(0, head - this.feed.head);
    const silentMs = Date.now() - lastRead.at;
    const feedOk = lastRead.error === undefined || silentMs <= this.maxFeedSilenceMs;
    const feed: Check = { ok: feedOk && lag <= this.maxFeedLag, position: String(this.feed.head), head: String(head), lag, lastReadMsAgo: silentMs };
    if (!feedOk) reasons.push(`log feed: cannot read the log for ${silentMs} ms (${message(lastRead.error)})`);
    else if (lag > this.maxFeedLag) reasons.push(`log feed: ${lag} events behind the log`);

    const ready = reasons.length === 0 && !this.draining;
    if (this.draining) reasons.push('the server is shutting down');
    const checks = this.replica ? { database, writes, feed, replica: replicaCheck(this.replica.current) } : { database, writes, feed };
    return { status: this.draining ? 'draining' : ready ? 'ready' : 'unready', reasons, checks };
  }

  /**
   * One bounded read of the log head (on SQLite through the reader, which no
   * writer blocks), and on SQLite whether our writes have been waiting for
   * another process's lock for long.
   */
  private async probeDatabase(): Promise<Check> {
    const started = Date.now();
    try {
      const read = this.db.query<{ position: number | string }>('SELECT position FROM log_head WHERE id = 1');
      const [row] = await beforeDeadline(read, started + this.probeTimeoutMs, () => timedOut('readiness probe', this.probeTimeoutMs));
      const lockWaitMs = this.db.poolStats().lockWaitMs ?? 0;
      if (lockWaitMs > this.maxLockWaitMs) {
        throw new UnavailableError(`writes have waited ${lockWaitMs} ms for a lock another process holds on the database file`, 'database_busy');
      }
      return { ok: true, ms: Date.now() - started, head: Number(row?.position ?? 0) };
    } catch (error) {
      databaseLog.failed(error);
      return { ok: false, ms: Date.now() - started, error: message(error) };
    }
  }

  /**
   * Appends failing for an outage since the last commit make the instance
   * unready; a write to the probe row that succeeds clears it (the database
   * is back), so an instance taken out of traffic can come back.
   */
  private async checkWrites(): Promise<Check> {
    const { succeededAt, failedAt, failure } = this.store.writes;
    const now = Date.now();
    if (failure === undefined || Math.max(succeededAt, this.probeSucceededAt) >= failedAt || now - failedAt > this.writeFailureMs) return { ok: true };
    const failing: Check = { ok: false, since: new Date(failedAt).toISOString(), reason: failure.reason, error: failure.message };
    // MariaDB writes its redo log into space it set aside: a small write succeeds on a full disk where
    // appends fail. There only a commit (or the failure ageing out) says the space is back.
    if (this.db.dialect === 'mysql' && failure.reason === 'database_full') return failing;
    try {
      await this.db.transaction((tx) => tx.execute('UPDATE health_probe SET checked_at = ? WHERE id = 1', [now]), { timeoutMs: this.probeTimeoutMs });
      this.probeSucceededAt = Date.now();
      return { ok: true };
    } catch (error) {
      return { ...failing, error: message(error) };
    }
  }
}

/** The replica as readiness shows it: `ok` false while it is lagging or broken (queries read the primary meanwhile). */
function replicaCheck({ state, position, lagPositions, lagSeconds, reason, reads }: ReplicaStatus): Check {
  return { ok: state === 'ok', state, position: String(position), lagPositions, lagSeconds, ...(reason ? { reason } : {}), reads };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
