/**
 * The event store over either database adapter. Every append goes through
 * the group committer; one transaction per group:
 *
 *   lock log_head → read versions/keys → plan (pure) → per-request writes
 *   (credentials) → one batch: events, keys, hook writes (inline
 *   projections), log_head → commit
 *
 * Positions come from log_head, locked for the whole transaction, so a
 * position is only ever handed out after every lower one has committed:
 * a reader tailing `position > last` can never skip a late commit.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Sql, Statement } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import { ConcurrencyError } from '../errors.ts';
import type { AppendRequest, AppendResult, EventStore, LogHead, ReadAllOptions, TransactionHook, WriteBatch } from './eventStore.ts';
import { EVENT_COLUMNS, type EventRow, eventFromRow, rowValues } from './eventRows.ts';
import { inList, valuesList } from '../db/sqlFragments.ts';
import { GroupCommitter } from './groupCommit.ts';
import { type Outcome, type StoredKey, planAppends } from './planAppends.ts';
import type { StoredEvent } from './types.ts';

export interface SqlEventStoreOptions {
  readonly hooks?: readonly TransactionHook[];
  readonly clock?: () => number;
  readonly newEventId?: () => string;
  readonly maxBatch?: number;
}

const INSERT_CHUNK = 500;

export class SqlEventStore implements EventStore {
  readonly stats = { transactions: 0, appends: 0, events: 0 };
  private readonly listeners = new Set<(events: readonly StoredEvent[]) => void>();
  private readonly committer: GroupCommitter<AppendRequest, AppendResult>;
  private readonly hooks: readonly TransactionHook[];
  private readonly clock: () => number;
  private readonly newEventId: () => string;
  /**
   * Stream versions as of our own last commit. While log_head still stands
   * where that commit left it, nobody else has written, so they are exact.
   */
  private known: { head: number; versions: Map<string, number> } | undefined;

  constructor(
    readonly db: Database,
    options: SqlEventStoreOptions = {},
  ) {
    this.hooks = options.hooks ?? [];
    this.clock = options.clock ?? Date.now;
    this.newEventId = options.newEventId ?? randomUUID;
    this.committer = new GroupCommitter((batch) => this.commitGroup(batch), options.maxBatch ?? 500);
  }

  append(request: AppendRequest): Promise<AppendResult> {
    return this.committer.submit(request);
  }

  drain(): Promise<void> {
    return this.committer.drain();
  }

  onCommitted(listener: (events: readonly StoredEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async head(): Promise<LogHead> {
    const [row] = await this.db.query<{ position: number; hash: string }>('SELECT position, hash FROM log_head WHERE id = 1');
    return { position: Number(row?.position ?? 0), hash: String(row?.hash) };
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const { sql, params } = selectEvents(options);
    const rows = await this.db.query<EventRow>(`${sql} LIMIT ?`, [...params, Math.max(0, options.limit ?? 1000)]);
    return rows.map(eventFromRow);
  }

  async *streamAll(options: Omit<ReadAllOptions, 'limit'> = {}): AsyncIterable<StoredEvent> {
    const { sql, params } = selectEvents(options);
    for await (const row of this.db.stream<EventRow>(sql, params)) yield eventFromRow(row);
  }

  async readStream(streamId: string, options: { after?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    return this.readAll({ streamId, after: options.after ?? 0, limit: options.limit ?? 10_000 });
  }

  private async commitGroup(batch: readonly AppendRequest[]): Promise<Array<AppendResult | Error>> {
    const { outcomes, committed, head, knownBefore } = await this.db.transaction(async (tx) => {
      const [headRow] = await tx.query<{ position: number; hash: string }>(
        `SELECT position, hash FROM log_head WHERE id = 1${this.db.forUpdate}`,
      );
      if (!headRow) throw new Error('log_head is missing: run the migrations');
      const headBefore: LogHead = { position: Number(headRow.position), hash: headRow.hash };

      const plan = planAppends({
        head: headBefore,
        requests: batch,
        streamVersions: await streamVersions(tx, batch, this.known?.head === headBefore.position ? this.known.versions : undefined),
        storedKeys: await storedKeys(tx, batch),
        storedEventIds: await storedEventIds(tx, batch),
        now: this.clock(),
        newEventId: this.newEventId,
      });

      // Credentials and the like first: a unique key they break fails this group before anything else is sent.
      for (const [i, outcome] of plan.outcomes.entries()) {
        const hook = batch[i]!.withinTransaction;
        if (hook && outcome.kind === 'appended') await hook(tx, outcome.events);
      }
      if (plan.events.length > 0) {
        const writes = new Writes();
        for (let i = 0; i < plan.events.length; i += INSERT_CHUNK) {
          const chunk = plan.events.slice(i, i + INSERT_CHUNK);
          writes.add({ sql: `INSERT INTO events (${EVENT_COLUMNS}) VALUES ${valuesList(10, chunk.length)}`, params: chunk.flatMap(rowValues) });
        }
        if (plan.keys.length > 0) {
          writes.add({
            sql: `INSERT INTO idempotency_keys (idem_key, request_hash, first_position, last_position) VALUES ${valuesList(4, plan.keys.length)}`,
            params: plan.keys.flatMap((k) => [k.key, k.requestHash, k.firstPosition, k.lastPosition]),
          });
        }
        for (const hook of this.hooks) await hook(tx, plan.events, headBefore, writes);
        writes.add({ sql: 'UPDATE log_head SET position = ?, hash = ? WHERE id = 1', params: [plan.head.position, plan.head.hash] });
        await writes.run(tx);
      }
      return { outcomes: await this.results(tx, batch, plan.outcomes), committed: plan.events, head: plan.head, knownBefore: headBefore };
    }).catch((error: unknown) => {
      this.known = undefined;
      // A unique key broken by a lone request (e.g. a username taken by a concurrent registration).
      if (batch.length === 1 && isUniqueViolation(error)) throw new ConcurrencyError('That already exists');
      throw error;
    });

    this.remember(knownBefore, head, committed);
    this.stats.transactions += 1;
    this.stats.appends += batch.length;
    this.stats.events += committed.length;
    if (committed.length > 0) for (const listener of this.listeners) listener(committed);
    return outcomes;
  }

  private remember(before: LogHead, after: LogHead, committed: readonly StoredEvent[]): void {
    const versions = this.known?.head === before.position ? this.known.versions : new Map<string, number>();
    for (const event of committed) {
      versions.delete(event.streamId);
      versions.set(event.streamId, event.streamVersion);
    }
    while (versions.size > 100_000) versions.delete(versions.keys().next().value as string);
    this.known = { head: after.position, versions };
  }

  private async results(tx: Sql, batch: readonly AppendRequest[], outcomes: readonly Outcome[]): Promise<Array<AppendResult | Error>> {
    return Promise.all(
      outcomes.map(async (outcome, i): Promise<AppendResult | Error> => {
        if (outcome.kind === 'refused') return outcome.error;
        if (outcome.kind === 'appended') {
          return {
            events: outcome.events,
            firstPosition: outcome.events[0]!.position,
            lastPosition: outcome.events.at(-1)!.position,
            streamVersion: outcome.streamVersion,
            duplicate: false,
          };
        }
        const rows = await tx.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position BETWEEN ? AND ? ORDER BY position`, [
          outcome.firstPosition,
          outcome.lastPosition,
        ]);
        const events = rows.map(eventFromRow);
        const streamId = batch[i]!.streamId;
        return {
          events,
          firstPosition: outcome.firstPosition,
          lastPosition: outcome.lastPosition,
          streamVersion: Math.max(0, ...events.filter((e) => e.streamId === streamId).map((e) => e.streamVersion)),
          duplicate: true,
        };
      }),
    );
  }
}

/** The group's writes, sent in one batch; each statement's check runs on its affected rows. */
class Writes implements WriteBatch {
  private readonly statements: Statement[] = [];
  private readonly checks: Array<((affectedRows: number) => void) | undefined> = [];

  add(statement: Statement, check?: (affectedRows: number) => void): void {
    this.statements.push(statement);
    this.checks.push(check);
  }

  /** Sends the statements in as few round trips as stay under `maxBytes` each (the server's packet limit is 16 MiB by default). */
  async run(tx: Sql, maxBytes = 4 * 1024 * 1024): Promise<void> {
    const affected: number[] = [];
    let part: Statement[] = [];
    let bytes = 0;
    for (const statement of this.statements) {
      const size = statement.sql.length + statement.params.reduce<number>((n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p) * 2 : 24), 0);
      if (part.length > 0 && bytes + size > maxBytes) {
        affected.push(...(await tx.batch(part)));
        part = [];
        bytes = 0;
      }
      part.push(statement);
      bytes += size;
    }
    if (part.length > 0) affected.push(...(await tx.batch(part)));
    this.checks.forEach((check, i) => check?.(affected[i] ?? 0));
  }
}

function selectEvents(options: Omit<ReadAllOptions, 'limit'>): { sql: string; params: unknown[] } {
  const where = ['position > ?'];
  const params: unknown[] = [options.after ?? 0];
  if (options.until !== undefined) {
    where.push('position <= ?');
    params.push(options.until);
  }
  if (options.streamId !== undefined) {
    where.push('stream_id = ?');
    params.push(options.streamId);
  }
  if (options.types !== undefined) {
    if (options.types.length === 0) where.push('1 = 0');
    else where.push(`type IN (${options.types.map(() => '?').join(', ')})`);
    params.push(...options.types);
  }
  return { sql: `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position`, params };
}

async function streamVersions(tx: Sql, batch: readonly AppendRequest[], known: ReadonlyMap<string, number> | undefined): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  const streams = [...new Set(batch.map((r) => r.streamId))].filter((id) => {
    const version = known?.get(id);
    if (version !== undefined) versions.set(id, version);
    return version === undefined;
  });
  if (streams.length === 0) return versions;
  const rows = await tx.query<{ stream_id: string; version: number }>(
    `SELECT stream_id, MAX(stream_version) AS version FROM events WHERE stream_id IN (${inList(streams)}) GROUP BY stream_id`,
    streams,
  );
  for (const row of rows) versions.set(row.stream_id, Number(row.version));
  return versions;
}

async function storedKeys(tx: Sql, batch: readonly AppendRequest[]): Promise<Map<string, StoredKey>> {
  const keys = [...new Set(batch.flatMap((r) => (r.idempotencyKey === undefined ? [] : [r.idempotencyKey])))];
  if (keys.length === 0) return new Map();
  const rows = await tx.query<{ idem_key: string; request_hash: string; first_position: number; last_position: number }>(
    `SELECT idem_key, request_hash, first_position, last_position FROM idempotency_keys WHERE idem_key IN (${inList(keys)})`,
    keys,
  );
  return new Map(
    rows.map((r) => [
      r.idem_key,
      { requestHash: r.request_hash, firstPosition: Number(r.first_position), lastPosition: Number(r.last_position) },
    ]),
  );
}

async function storedEventIds(tx: Sql, batch: readonly AppendRequest[]): Promise<Map<string, number>> {
  const ids = batch.flatMap((r) => r.events.flatMap((e) => (e.eventId === undefined ? [] : [e.eventId])));
  if (ids.length === 0) return new Map();
  const rows = await tx.query<{ event_id: string; position: number }>(
    `SELECT event_id, position FROM events WHERE event_id IN (${inList(ids)})`,
    ids,
  );
  return new Map(rows.map((r) => [r.event_id, Number(r.position)]));
}
