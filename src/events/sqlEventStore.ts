/**
 * The event store over either database adapter. Every append goes through
 * the group committer; one transaction per group, two round trips on MySQL:
 *
 *   1. START TRANSACTION, lock log_head, read what planning needs (stored
 *      idempotency keys and event ids, stream versions not known already,
 *      each hook's read, each request's precondition)
 *   2. plan (pure), then events, keys, hook writes (inline projections),
 *      log_head and COMMIT
 *
 * Positions come from log_head, locked for the whole transaction, so a
 * position is only ever handed out after every lower one has committed:
 * a reader tailing `position > last` can never skip a late commit.
 *
 * Erasure (README, "Deletion that erases"): an event whose data holds
 * `erases: <key>` sets the content of every earlier event under that key to
 * NULL, records the key in `erasures` and forgets the request hashes of the
 * idempotency keys that wrote them, all in its own transaction. Round trip 1
 * reads the erased keys (and those idempotency keys) only for a group that
 * writes or erases content.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database, Sql, Statement, Transaction } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import { checkpointsWal } from '../db/sqliteDatabase.ts';
import { ConcurrencyError, isUnavailable, type UnavailableError } from '../errors.ts';
import type { AppendObserver } from './appendObserver.ts';
import type { AppendRequest, AppendResult, Erasure, ErasureHook, EventStore, LogHead, ReadAllOptions, TransactionHook } from './eventStore.ts';
import { ERASED_REQUEST_HASH, erasesOf, isErasureKey, saltSource, withContentInPlace } from './erasableContent.ts';
import { EVENT_COLUMN_COUNT, EVENT_COLUMNS, type EventRow, eventFromRow, rowParams } from './eventRows.ts';
import { inList, valuesList } from '../db/sqlFragments.ts';
import { GroupCommitter } from './groupCommit.ts';
import { type Plan, type StoredKey, planAppends } from './planAppends.ts';
import type { StoredEvent } from './types.ts';
import { dependencyLog } from '../observability/dependencyLog.ts';
import { log } from '../observability/log.ts';
import { benchTrace, traceNow } from '../observability/benchTrace.ts';

const databaseLog = dependencyLog('database');

/** Pauses between tries to empty SQLite's WAL after an erasure while readers hold it (about 10 s in all). */
const WAL_RETRY_MS = [0, 10, 50, 200, 1000, 3000, 6000];

export interface SqlEventStoreOptions {
  readonly hooks?: readonly TransactionHook[];
  readonly clock?: () => number;
  readonly newEventId?: () => string;
  readonly maxBatch?: number;
  /** Appends waiting at most before new ones are refused UNAVAILABLE (THRDS_APPEND_QUEUE_LIMIT). */
  readonly maxQueue?: number;
  /**
   * Reads an event stored at an older schema version in today's shape
   * (src/modules `upcast`). Applied to every event the store hands out:
   * reads, append results, commit notifications and the transaction hooks.
   * `readAll({ stored: true })` gives the stored form (audit, export).
   */
  readonly upcast?: (event: StoredEvent) => StoredEvent;
  /** A fresh salt for each erasable content: 32 lowercase hex digits of crypto randomness (the default). */
  readonly newSalt?: () => string;
  /** What else is erased with a key (attachments): statements in the erasing transaction, or work after its commit. */
  readonly onErase?: readonly ErasureHook[];
}

const INSERT_CHUNK = 500;

export interface WriteOutcomes {
  readonly succeededAt: number;
  readonly failedAt: number;
  readonly failure: UnavailableError | undefined;
}

export class SqlEventStore implements EventStore {
  readonly stats = { transactions: 0, appends: 0, events: 0 };
  private writeOutcomes: WriteOutcomes = { succeededAt: 0, failedAt: 0, failure: undefined };

  /** When a group last committed and last failed for an outage (readiness: are writes failing now?). */
  get writes(): WriteOutcomes {
    return this.writeOutcomes;
  }
  private readonly listeners = new Set<(events: readonly StoredEvent[]) => void>();
  private readonly observers = new Set<AppendObserver>();
  private readonly committer: GroupCommitter<AppendRequest, AppendResult>;
  private readonly hooks: readonly TransactionHook[];
  private readonly clock: () => number;
  private readonly newEventId: () => string;
  private readonly upcast: (event: StoredEvent) => StoredEvent;
  private readonly newSalt: () => string;
  private readonly onErase: readonly ErasureHook[];
  /** Erasing commits so far, and the WAL scrub under way (SQLite). */
  private erasedCommits = 0;
  private scrubbing: Promise<void> | undefined;
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
    this.upcast = options.upcast ?? ((event) => event);
    this.newSalt = options.newSalt ?? saltSource();
    this.onErase = options.onErase ?? [];
    this.committer = new GroupCommitter((batch, deadline) => this.commitGroup(batch, deadline), {
      maxBatch: options.maxBatch ?? 500,
      ...(options.maxQueue !== undefined ? { maxQueue: options.maxQueue } : {}),
      timeoutMs: db.timeoutMs,
    });
  }

  append(request: AppendRequest): Promise<AppendResult> {
    const started = performance.now();
    const answered = this.committer.submit(request);
    if (benchTrace) traceSubmitted(benchTrace, answered);
    if (this.observers.size > 0) {
      const tell = (outcome: Parameters<AppendObserver['appended']>[1]) => {
        const seconds = (performance.now() - started) / 1000;
        for (const observer of this.observers) observer.appended(seconds, outcome);
      };
      answered.then(
        (result) => tell({ result }),
        (error: unknown) => tell({ error }),
      );
    }
    return answered;
  }

  /** Tells `observer` of every append's answer and every group's transaction (metrics); returns how to stop. */
  observe(observer: AppendObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  drain(): Promise<void> {
    return this.committer.drain();
  }

  /** Refuses new appends (UNAVAILABLE, shutting down); those already accepted still commit. */
  stopAccepting(): void {
    this.committer.close();
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
    return options.stored ? rows.map(eventFromRow) : rows.map((row) => this.present(eventFromRow(row)));
  }

  async *streamAll(options: Omit<ReadAllOptions, 'limit'> = {}): AsyncIterable<StoredEvent> {
    const { sql, params } = selectEvents(options);
    for await (const row of this.db.stream<EventRow>(sql, params)) yield options.stored ? eventFromRow(row) : this.present(eventFromRow(row));
  }

  /** Resolves once erased content has left SQLite's WAL too (at once elsewhere, or when nothing was erased). */
  async walScrubbed(): Promise<void> {
    while (this.scrubbing) await this.scrubbing;
  }

  /** A stored event as it leaves the store: content in place ('' once erased), upcast to today's shape. */
  private readonly present = (event: StoredEvent): StoredEvent => this.upcast(withContentInPlace(event));

  async readStream(streamId: string, options: { after?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    return this.readAll({ streamId, after: options.after ?? 0, limit: options.limit ?? 10_000 });
  }

  private async commitGroup(batch: readonly AppendRequest[], deadline: number): Promise<Array<AppendResult | Error>> {
    const started = performance.now();
    const observed = (failed: boolean) => {
      for (const observer of this.observers) observer.group(batch.length, (performance.now() - started) / 1000, failed);
    };
    const { outcomes, committed, erasures } = await this.db.transaction((tx) => this.runGroup(tx, batch), { deadline }).catch((error: unknown) => {
      observed(true);
      this.known = undefined;
      if (isUnavailable(error)) {
        this.writeOutcomes = { ...this.writeOutcomes, failedAt: Date.now(), failure: error };
        // Once when it starts, then at most once a second with a count, and once when it is over.
        databaseLog.failed(error);
      }
      // A unique key broken by a lone request (e.g. a username taken by a concurrent registration).
      if (batch.length === 1 && isUniqueViolation(error)) throw new ConcurrencyError('That already exists');
      throw error;
    });
    this.writeOutcomes = { ...this.writeOutcomes, succeededAt: Date.now() };
    databaseLog.ok();
    observed(false);
    this.stats.transactions += 1;
    this.stats.appends += batch.length;
    this.stats.events += committed.length;
    if (benchTrace) {
      const at = traceNow();
      for (const event of committed) {
        benchTrace.mark(event.position, 'groupStarted', performance.timeOrigin + started);
        benchTrace.mark(event.position, 'committed', at);
      }
    }
    if (committed.length > 0) for (const listener of this.listeners) listener(committed);
    if (erasures.length > 0) this.erased(erasures);
    return outcomes;
  }

  /** After a commit that erased content: the hooks' follow-up, then (SQLite) the WAL emptied of the versions that held it. */
  private erased(erasures: readonly Erasure[]): void {
    for (const hook of this.onErase) {
      try {
        hook.afterCommit?.(erasures);
      } catch (error) {
        // The erasure has committed: its append succeeded whatever a follow-up does.
        log.error({ err: error, erasures }, 'an erasure hook failed after its commit');
      }
    }
    this.erasedCommits += 1;
    this.scrubWal();
  }

  /**
   * Checkpoints SQLite's WAL into the database file and truncates it, so the
   * page versions that held erased content leave the disk (secure_delete
   * zeroes them in the file). Readers holding the WAL keep it from
   * completing: tried again shortly, a bounded number of times, until it
   * completes after the last erasing commit.
   */
  private scrubWal(): void {
    const db = this.db;
    if (this.scrubbing || !checkpointsWal(db)) return;
    this.scrubbing = (async () => {
      let tries = 0;
      for (;;) {
        const upTo = this.erasedCommits;
        const pause = WAL_RETRY_MS[tries];
        if (pause === undefined) {
          log.warn({ database: db.displayUrl }, 'erased content stays in the SQLite WAL until its next checkpoint: readers held it for 10 s');
          return;
        }
        if (pause > 0) await sleep(pause, undefined, { ref: false });
        const done = await db.checkpointWal().catch((error: unknown) => {
          log.warn({ err: error, database: db.displayUrl }, 'could not checkpoint the SQLite WAL after an erasure');
          return undefined;
        });
        if (done === undefined) return;
        if (done && this.erasedCommits === upTo) return;
        tries = done ? 0 : tries + 1;
      }
    })().finally(() => {
      this.scrubbing = undefined;
    });
  }

  private async runGroup(
    tx: Transaction,
    batch: readonly AppendRequest[],
  ): Promise<{ outcomes: Array<AppendResult | Error>; committed: readonly StoredEvent[]; erasures: readonly Erasure[] }> {
    // Round trip 1: the lock and every read planning needs.
    const streams = [...new Set(batch.map((r) => r.streamId))];
    const cached = this.known?.versions;
    const unread = streams.filter((id) => cached?.has(id));
    const toRead = streams.filter((id) => !cached?.has(id));
    const keys = [...new Set(batch.flatMap((r) => (r.idempotencyKey === undefined ? [] : [r.idempotencyKey])))];
    const eventIds = batch.flatMap((r) => r.events.flatMap((e) => (e.eventId === undefined ? [] : [e.eventId])));
    const { named, erasing } = erasureKeysOf(batch);
    const reads: Statement[] = [{ sql: `SELECT position, hash FROM log_head WHERE id = 1${this.db.forUpdate}`, params: [] }];
    const at = { versions: 0, keys: 0, eventIds: 0, erased: 0, erasedKeys: 0, hooks: 0 };
    if (toRead.length > 0) at.versions = reads.push(streamVersionsRead(toRead)) - 1;
    if (keys.length > 0) at.keys = reads.push(storedKeysRead(keys)) - 1;
    if (eventIds.length > 0) at.eventIds = reads.push(storedEventIdsRead(eventIds)) - 1;
    if (named.length > 0) at.erased = reads.push(erasedKeysRead(named)) - 1;
    if (erasing.length > 0) at.erasedKeys = reads.push(idempotencyKeysUnder(erasing)) - 1;
    at.hooks = reads.length;
    for (const hook of this.hooks) if (hook.read) reads.push(hook.read);
    const checks = batch.map((r) => (r.precondition ? reads.push(r.precondition.read) - 1 : undefined));
    const rows = await tx.queryEach(reads);

    const headRow = rows[0]?.[0] as { position: number | string; hash: string } | undefined;
    if (!headRow) throw new Error('log_head is missing: run the migrations');
    const headBefore: LogHead = { position: Number(headRow.position), hash: headRow.hash };

    const versions = new Map<string, number>();
    for (const row of at.versions ? (rows[at.versions] as VersionRow[]) : []) versions.set(row.stream_id, Number(row.version));
    // Versions taken as known are exact only if nobody has written since our last plan; else read them now.
    const known = this.known?.head === headBefore.position ? this.known.versions : undefined;
    const missing = unread.filter((id) => {
      const version = known?.get(id);
      if (version !== undefined) versions.set(id, version);
      return version === undefined;
    });
    if (missing.length > 0) {
      const [found] = await tx.queryEach([streamVersionsRead(missing)]);
      for (const row of found as VersionRow[]) versions.set(row.stream_id, Number(row.version));
    }

    const plan = planAppends({
      head: headBefore,
      requests: batch,
      streamVersions: versions,
      storedKeys: at.keys ? storedKeysFrom(rows[at.keys] as KeyRow[]) : new Map(),
      storedEventIds: new Map((at.eventIds ? (rows[at.eventIds] as EventIdRow[]) : []).map((r) => [r.event_id, Number(r.position)])),
      erasedKeys: new Set((at.erased ? (rows[at.erased] as ErasedRow[]) : []).map((r) => r.erasure_key)),
      refusals: batch.map((r, i) => r.precondition?.refuse(rows[checks[i] ?? -1] ?? [])),
      now: this.clock(),
      newEventId: this.newEventId,
      newSalt: this.newSalt,
    });
    // A failed group forgets it (commitGroup).
    this.remember(headBefore, plan.head, versions, plan.events);
    // What leaves the store is in today's shape (an import may write older versions).
    const current = plan.events.map(this.present);
    const outcomes = await this.results(tx, batch, plan);

    // Credentials and the like first: a unique key they break fails this group before anything else is sent.
    for (const [i, outcome] of plan.outcomes.entries()) {
      const hook = batch[i]!.withinTransaction;
      if (hook && outcome.kind === 'appended') await hook(tx, outcome.events);
    }
    if (plan.events.length === 0) return { outcomes, committed: [], erasures: [] };

    // Round trip 2: every write, and the commit.
    const writes: Statement[] = [];
    for (let i = 0; i < plan.rows.length; i += INSERT_CHUNK) {
      const chunk = plan.rows.slice(i, i + INSERT_CHUNK);
      writes.push({ sql: `INSERT INTO events (${EVENT_COLUMNS}) VALUES ${valuesList(EVENT_COLUMN_COUNT, chunk.length)}`, params: chunk.flatMap(rowParams) });
    }
    if (plan.keys.length > 0) {
      writes.push({
        sql: `INSERT INTO idempotency_keys (idem_key, request_hash, first_position, last_position) VALUES ${valuesList(4, plan.keys.length)}`,
        params: plan.keys.flatMap((k) => [k.key, k.requestHash, k.firstPosition, k.lastPosition]),
      });
    }
    if (plan.erasures.length > 0) writes.push(...this.erasureWrites(plan.erasures, at.erasedKeys ? (rows[at.erasedKeys] as ErasedKeyRow[]) : []));
    this.hooks.forEach((hook, i) => writes.push(...hook.statements(current, headBefore, hook.read ? (rows[at.hooks + i] ?? []) : [])));
    writes.push({ sql: 'UPDATE log_head SET position = ?, hash = ? WHERE id = 1', params: [plan.head.position, plan.head.hash] });
    await commitInParts(tx, writes);
    return { outcomes, committed: current, erasures: plan.erasures };
  }

  /** The content erased (the 006 trigger lets exactly this UPDATE through), the keys recorded, the request hashes forgotten, the hooks' writes. */
  private erasureWrites(erasures: readonly Erasure[], idempotencyRows: readonly ErasedKeyRow[]): Statement[] {
    const writes: Statement[] = erasures.map((e) => ({
      sql: 'UPDATE events SET content = NULL WHERE erasure_key = ? AND position < ? AND content IS NOT NULL',
      params: [e.key, e.position],
    }));
    writes.push({ sql: `INSERT INTO erasures (erasure_key, position) VALUES ${valuesList(2, erasures.length)}`, params: erasures.flatMap((e) => [e.key, e.position]) });
    const erased = new Set(erasures.map((e) => e.key));
    const idempotencyKeys = [...new Set(idempotencyRows.filter((r) => erased.has(r.erasure_key)).map((r) => r.idem_key))];
    if (idempotencyKeys.length > 0) {
      writes.push({ sql: `UPDATE idempotency_keys SET request_hash = ? WHERE idem_key IN (${inList(idempotencyKeys)})`, params: [ERASED_REQUEST_HASH, ...idempotencyKeys] });
    }
    for (const hook of this.onErase) writes.push(...(hook.statements?.(erasures) ?? []));
    return writes;
  }

  /** Stream versions as of `after`, this group's planned head: exact once it commits. */
  private remember(before: LogHead, after: LogHead, read: ReadonlyMap<string, number>, planned: readonly StoredEvent[]): void {
    const versions = this.known?.head === before.position ? this.known.versions : new Map<string, number>();
    for (const [id, version] of read) versions.set(id, version);
    for (const event of planned) {
      versions.delete(event.streamId);
      versions.set(event.streamId, event.streamVersion);
    }
    while (versions.size > 100_000) versions.delete(versions.keys().next().value as string);
    this.known = { head: after.position, versions };
  }

  /** Each request's answer; a duplicate's events are read back, or taken from this group when an earlier request in it wrote them. */
  private async results(tx: Sql, batch: readonly AppendRequest[], plan: Plan): Promise<Array<AppendResult | Error>> {
    const firstPlanned = plan.events[0]?.position ?? Infinity;
    return Promise.all(
      plan.outcomes.map(async (outcome, i): Promise<AppendResult | Error> => {
        if (outcome.kind === 'refused') return outcome.error;
        if (outcome.kind === 'appended') {
          return {
            events: outcome.events.map(this.present),
            firstPosition: outcome.events[0]!.position,
            lastPosition: outcome.events.at(-1)!.position,
            streamVersion: outcome.streamVersion,
            duplicate: false,
          };
        }
        const events =
          outcome.firstPosition >= firstPlanned
            ? plan.events.filter((e) => e.position >= outcome.firstPosition && e.position <= outcome.lastPosition).map(this.present)
            : (await tx.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position BETWEEN ? AND ? ORDER BY position`, [outcome.firstPosition, outcome.lastPosition])).map((row) => this.present(eventFromRow(row)));
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

/** Bench tracing: when each position an append gets was submitted (known only once it is answered). */
function traceSubmitted(trace: NonNullable<typeof benchTrace>, answered: Promise<AppendResult>): void {
  const submitted = traceNow();
  answered.then(
    (result) => {
      for (let position = result.firstPosition; position <= result.lastPosition; position++) trace.mark(position, 'submitted', submitted);
    },
    () => undefined, // the caller sees the failure; a failed append has no position to trace
  );
}

/** Sends the writes and the commit in as few round trips as stay under `maxBytes` each (the server's packet limit is 16 MiB by default). */
async function commitInParts(tx: Transaction, statements: readonly Statement[], maxBytes = 4 * 1024 * 1024): Promise<void> {
  let part: Statement[] = [];
  let bytes = 0;
  for (const statement of statements) {
    const size = statement.sql.length + statement.params.reduce<number>((n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p) * 2 : 24), 0);
    if (part.length > 0 && bytes + size > maxBytes) {
      await tx.batch(part);
      part = [];
      bytes = 0;
    }
    part.push(statement);
    bytes += size;
  }
  await tx.commitWith(part);
}

type VersionRow = {
  stream_id: string;
  version: number | string;
};
type KeyRow = {
  idem_key: string;
  request_hash: string;
  first_position: number | string;
  last_position: number | string;
};
type EventIdRow = {
  event_id: string;
  position: number | string;
};
type ErasedRow = { erasure_key: string };
type ErasedKeyRow = { erasure_key: string; idem_key: string };

/** The keys a group writes content under or erases (`named`), and those it erases; only well-formed ones (the planner refuses the rest). */
function erasureKeysOf(batch: readonly AppendRequest[]): { named: string[]; erasing: string[] } {
  const named = new Set<string>();
  const erasing = new Set<string>();
  for (const request of batch) {
    for (const event of request.events) {
      if (event.erasable && isErasureKey(event.erasable.key)) named.add(event.erasable.key);
      const erases = erasesOf(event.data);
      if (erases !== undefined && isErasureKey(erases)) {
        named.add(erases);
        erasing.add(erases);
      }
    }
  }
  return { named: [...named], erasing: [...erasing] };
}

function erasedKeysRead(keys: readonly string[]): Statement {
  return { sql: `SELECT erasure_key FROM erasures WHERE erasure_key IN (${inList(keys)})`, params: keys };
}

/**
 * The idempotency keys whose appends wrote an event under these erasure
 * keys: for each such event, the key with the greatest first position at or
 * before it, if its range reaches it (appends' ranges never overlap).
 */
function idempotencyKeysUnder(erasureKeys: readonly string[]): Statement {
  return {
    sql:
      'SELECT e.erasure_key, k.idem_key FROM events e JOIN idempotency_keys k' +
      ' ON k.first_position = (SELECT MAX(k2.first_position) FROM idempotency_keys k2 WHERE k2.first_position <= e.position)' +
      ` WHERE e.erasure_key IN (${inList(erasureKeys)}) AND k.last_position >= e.position`,
    params: erasureKeys,
  };
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

function streamVersionsRead(streams: readonly string[]): Statement {
  return {
    sql: `SELECT stream_id, MAX(stream_version) AS version FROM events WHERE stream_id IN (${inList(streams)}) GROUP BY stream_id`,
    params: streams,
  };
}

function storedKeysRead(keys: readonly string[]): Statement {
  return { sql: `SELECT idem_key, request_hash, first_position, last_position FROM idempotency_keys WHERE idem_key IN (${inList(keys)})`, params: keys };
}

function storedKeysFrom(rows: readonly KeyRow[]): Map<string, StoredKey> {
  return new Map(
    rows.map((r) => [r.idem_key, { requestHash: r.request_hash, firstPosition: Number(r.first_position), lastPosition: Number(r.last_position) }]),
  );
}

function storedEventIdsRead(ids: readonly string[]): Statement {
  return { sql: `SELECT event_id, position FROM events WHERE event_id IN (${inList(ids)})`, params: ids };
}
