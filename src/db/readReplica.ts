/**
 * A read replica (DATABASE_READ_URL): a MariaDB/MySQL server that applies
 * the primary's binary log, so queries and the log feed can read there and
 * leave the primary its writes. Thrds invents no replication; it only needs
 * to know how far the replica has applied the log (the replica's own
 * `log_head` row, one read on the primary key), whether replication runs,
 * and to stop reading there while it does not: every read that finds the
 * replica behind or broken goes to the primary instead (counted).
 */
import { log } from '../observability/log.ts';
import type { Database, Row, Sql, Statement } from './database.ts';
import { beforeDeadline, timedOut } from './deadline.ts';
import { openMysqlDatabase } from './mysqlDatabase.ts';

export type ReplicaState = 'ok' | 'lagging' | 'broken';

export interface ReadReplicaOptions {
  /** How long a read that must see a position waits for the replica to apply it, in ms (THRDS_REPLICA_WAIT_MS). */
  readonly waitMs?: number;
  /** Further behind the primary than this many log positions, the replica is 'lagging' and nothing reads it. */
  readonly maxLagPositions?: number;
  /** Seconds_Behind_Master beyond this, likewise. */
  readonly maxLagSeconds?: number;
  /** How often the replica and the primary's head are looked at, in ms. */
  readonly probeMs?: number;
  /** The deadline of one look, in ms: a replica that does not answer in time is 'broken'. */
  readonly probeTimeoutMs?: number;
  /**
   * How often a look also reads the primary's head, in ms. Local commits tell it in between; the
   * replica's Seconds_Behind_Master covers other instances' commits, so the primary is spared a read per look.
   */
  readonly primaryHeadMs?: number;
}

/** What readiness and metrics show of the replica. */
export interface ReplicaStatus {
  readonly state: ReplicaState;
  /** The last log position the replica was seen to have applied. */
  readonly position: number;
  /** The primary's head minus that position (0 when the replica has it all). */
  readonly lagPositions: number;
  /** MariaDB's Seconds_Behind_Master, or null when it cannot say (not replicating, no privilege). */
  readonly lagSeconds: number | null;
  /** Why the replica is not 'ok', when it is not. */
  readonly reason: string | undefined;
  /** Reads meant for the replica, by who read (queries, the log feed) and where they went (the primary: the replica was behind or broken). */
  readonly reads: ReplicaReads;
}

export type ReplicaReader = 'query' | 'feed';
export type ReplicaReads = Readonly<Record<ReplicaReader, { readonly replica: number; readonly primary: number }>>;

/** A replica is a MariaDB/MySQL feature: a read URL next to a SQLite primary is a mistake, said at start. */
export function checkReadDatabaseUrl(readUrl: string, primaryUrl: string): void {
  if (!/^(mysql|mariadb):/.test(readUrl)) throw new Error(`DATABASE_READ_URL must start with mysql:// or mariadb:// (got ${readUrl.split(':')[0]}:)`);
  if (!/^(mysql|mariadb):/.test(primaryUrl)) throw new Error('DATABASE_READ_URL needs a MariaDB/MySQL DATABASE_URL: a SQLite database has no replicas');
}

interface SlaveStatus {
  readonly Slave_IO_Running?: string;
  readonly Slave_SQL_Running?: string;
  readonly Seconds_Behind_Master?: number | string | null;
  readonly Last_IO_Error?: string;
  readonly Last_SQL_Error?: string;
}

export class ReadReplica {
  // 'ok' until the first look (open awaits it) says otherwise, so a replica down at start is logged as such.
  private status: ReplicaStatus = { state: 'ok', position: 0, lagPositions: 0, lagSeconds: null, reason: undefined, reads: { query: { replica: 0, primary: 0 }, feed: { replica: 0, primary: 0 } } };
  private closed = false;
  private primaryHead = 0;
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | undefined;
  private readonly waitMs: number;
  private readonly maxLagPositions: number;
  private readonly maxLagSeconds: number;
  private readonly probeMs: number;
  private readonly probeTimeoutMs: number;
  private readonly primaryHeadMs: number;
  private primaryReadAt = 0;

  private constructor(
    readonly db: Database,
    private readonly primary: Database,
    options: ReadReplicaOptions,
  ) {
    this.waitMs = options.waitMs ?? 500;
    this.maxLagPositions = options.maxLagPositions ?? 10_000;
    this.maxLagSeconds = options.maxLagSeconds ?? 30;
    this.probeMs = options.probeMs ?? 1000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? Math.min(1000, db.timeoutMs);
    this.primaryHeadMs = options.primaryHeadMs ?? 5000;
  }

  /** Opens the replica's pool and looks at it once; a replica that is down at start is 'broken', not a failed start. */
  static async open(url: string, primary: Database, options: ReadReplicaOptions = {}): Promise<ReadReplica> {
    const db = await openMysqlDatabase(url, { timeoutMs: primary.timeoutMs, replica: true });
    const replica = new ReadReplica(db, primary, options);
    await replica.probe();
    replica.schedule();
    return replica;
  }

  get current(): ReplicaStatus {
    return this.status;
  }

  get usable(): boolean {
    return this.status.state === 'ok';
  }

  /** The primary committed up to `position` (a local commit): the lag is known without asking. */
  primaryAt(position: number): void {
    if (position > this.primaryHead) this.primaryHead = position;
  }

  /** The replica was seen holding `position` (a read found it there). */
  appliedAt(position: number): void {
    if (position > this.status.position) this.status = { ...this.status, position, lagPositions: Math.max(0, this.primaryHead - position) };
  }

  /**
   * Where a read that must see `position` goes: the replica once it has
   * applied it (waiting up to waitMs), else undefined: read the primary.
   */
  async readerFor(position: number): Promise<Sql | undefined> {
    if (this.usable && position > this.status.position) {
      const deadline = Date.now() + this.waitMs;
      while (this.usable && position > this.status.position && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await this.readPosition().catch((error: unknown) => this.failed(error));
      }
    }
    const replicaHasIt = this.usable && position <= this.status.position;
    this.count('query', replicaHasIt);
    return replicaHasIt ? this.reads : undefined;
  }

  /** Reads on the replica; one that fails there marks it broken and is answered by the primary (reads are safe to repeat). */
  readonly reads: Sql = {
    query: <T = Row>(sql: string, params?: readonly unknown[]) => this.orPrimary((db) => db.query<T>(sql, params)),
    queryEach: (statements: readonly Statement[]) => this.orPrimary((db) => db.queryEach(statements)),
    execute: (sql, params) => this.primary.execute(sql, params),
    batch: (statements) => this.primary.batch(statements),
  };

  /** Counts one read by who read and where it went. */
  count(reader: ReplicaReader, onReplica: boolean): void {
    const { replica, primary } = this.status.reads[reader];
    const counted = onReplica ? { replica: replica + 1, primary } : { replica, primary: primary + 1 };
    this.status = { ...this.status, reads: { ...this.status.reads, [reader]: counted } };
  }

  /** A read on the replica failed: nothing reads it until a probe finds it working again. */
  failed(error: unknown): void {
    this.settle('broken', `cannot read the replica: ${message(error)}`, this.status.lagSeconds);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.probing;
    await this.db.close();
  }

  /** Looks at the replica (its position, its replication threads) and the primary's head, within probeTimeoutMs. */
  probe(): Promise<void> {
    this.probing ??= (async () => {
      try {
        const started = Date.now();
        const look = Promise.all([this.readPosition(), this.slaveStatus(), this.readPrimaryHead(started)]);
        const [, replication] = await beforeDeadline(look, started + this.probeTimeoutMs, () => timedOut('replica probe', this.probeTimeoutMs));
        this.judge(replication);
      } catch (error) {
        this.failed(error);
      } finally {
        this.probing = undefined;
      }
    })();
    return this.probing;
  }

  private async orPrimary<T>(read: (db: Sql) => Promise<T>): Promise<T> {
    if (!this.usable) return read(this.primary);
    try {
      return await read(this.db);
    } catch (error) {
      this.failed(error);
      this.count('query', false);
      return read(this.primary);
    }
  }

  /** The primary's head, when primaryHeadMs has passed since it was last read (always on the first look). */
  private async readPrimaryHead(now: number): Promise<void> {
    if (now - this.primaryReadAt < this.primaryHeadMs) return;
    const [head] = await this.primary.query<{ position: number | string }>('SELECT position FROM log_head WHERE id = 1');
    this.primaryReadAt = now;
    this.primaryAt(Number(head?.position ?? 0));
  }

  private async readPosition(): Promise<void> {
    const [row] = await this.db.query<{ position: number | string }>('SELECT position FROM log_head WHERE id = 1');
    this.appliedAt(Number(row?.position ?? 0));
  }

  /** SHOW SLAVE STATUS, or undefined where it is not allowed (a user without REPLICATION CLIENT) or not a replica. */
  private async slaveStatus(): Promise<SlaveStatus | undefined> {
    try {
      const [row] = await this.db.query<SlaveStatus>('SHOW SLAVE STATUS');
      return row;
    } catch (error) {
      // Not allowed: the position difference alone says how far behind the replica is.
      if ((error as { code?: unknown }).code === 'ER_SPECIFIC_ACCESS_DENIED_ERROR') return undefined;
      throw error;
    }
  }

  private judge(replication: SlaveStatus | undefined): void {
    const lagPositions = Math.max(0, this.primaryHead - this.status.position);
    const seconds = replication?.Seconds_Behind_Master;
    const lagSeconds = seconds === null || seconds === undefined ? null : Number(seconds);
    const stopped = replication && (replication.Slave_IO_Running !== 'Yes' || replication.Slave_SQL_Running !== 'Yes');
    if (stopped) {
      const error = replication.Last_SQL_Error || replication.Last_IO_Error;
      this.settle('broken', `replication stopped (IO ${replication.Slave_IO_Running}, SQL ${replication.Slave_SQL_Running})${error ? `: ${error}` : ''}`, lagSeconds, lagPositions);
    } else if (lagPositions > this.maxLagPositions || (lagSeconds ?? 0) > this.maxLagSeconds) {
      this.settle('lagging', `${lagPositions} positions, ${lagSeconds ?? '?'} s behind the primary`, lagSeconds, lagPositions);
    } else {
      this.settle('ok', undefined, lagSeconds, lagPositions);
    }
  }

  /** Moves to `state`, logging the change once: when the replica goes bad (queries read the primary) and when it is back. */
  private settle(state: ReplicaState, reason: string | undefined, lagSeconds: number | null, lagPositions = this.status.lagPositions): void {
    const before = this.status.state;
    this.status = { ...this.status, state, reason, lagSeconds, lagPositions };
    if (state === before) return;
    const facts = { replica: this.db.displayUrl, position: this.status.position, lagPositions, lagSeconds };
    if (state === 'ok') log.info(facts, 'read replica ok: queries and the log feed read it again');
    else log.warn({ ...facts, reason }, `read replica ${state}: queries and the log feed read the primary (${reason})`);
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      void this.probe().finally(() => this.schedule());
    }, this.probeMs);
    this.timer.unref();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
