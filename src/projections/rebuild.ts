/**
 * Online rebuild of read models from the log, while the server keeps
 * serving and appending:
 *
 *  1. fill: empty shadow tables (`threads_rebuild`, …) are fed from the log
 *     in large pages, each page in its own short transaction, chasing the
 *     head until only a few events remain (on MySQL without their non-unique
 *     indexes, added once filled: shadowTables.ts);
 *  2. swap, in one step under the log_head lock (so appends wait): apply the
 *     last events up to the locked head, put each shadow table in place of
 *     its live table and set the checkpoints to that head.
 *
 * Readers see the old tables, fully maintained, until the swap commits, and
 * the new tables, complete to the head, after it. The first append after the
 * swap finds checkpoints equal to its starting head and projects inline into
 * the new tables, so no event is lost or applied twice.
 *
 * SQLite swaps in a single write transaction (its DDL is transactional).
 * MySQL's RENAME TABLE commits implicitly, so one connection holds the
 * log_head row lock (and the uncommitted checkpoint update) while a second
 * applies the last events and renames all pairs in one atomic RENAME; the
 * first commits after it. The lock holder touches no read-model table, so the
 * RENAME never waits for it.
 */
import type { Database, Sql } from '../db/database.ts';
import { EVENT_COLUMNS, type EventRow, readableEventFromRow } from '../events/eventRows.ts';
import { upcast } from '../modules/index.ts';
import type { StoredEvent } from '../events/types.ts';
import { type Projection, tableName } from './projection.ts';
import { allProjections } from './projectionEngine.ts';
import { addIndexes, createTableLike, deferIndexes, mysqlSwapStatement, retiredName, shadowName, swapSqliteTable } from './shadowTables.ts';
import { BULK_TIMEOUT_MS } from '../db/deadline.ts';

/** A rebuild's transactions may rightly take minutes; requests never wait on them for long (appends do wait on the swap). */
const BULK = { timeoutMs: BULK_TIMEOUT_MS };

export interface RebuildOptions {
  /** Default: every projection. */
  readonly projections?: readonly Projection[];
  /** Events per fill transaction. */
  readonly pageSize?: number;
  /** Swap once the shadow tables are within this many events of the head. */
  readonly swapWithin?: number;
  readonly onProgress?: (position: number, head: number) => void;
  /** Runs after the fill, just before the swap takes the lock (tests use it to append in the gap). */
  readonly beforeSwap?: () => Promise<void>;
}

export interface RebuildResult {
  readonly projections: readonly string[];
  /** The head the new tables stood at when they went live. */
  readonly position: number;
  /** Events applied to the shadow tables in all. */
  readonly events: number;
}

export function projectionsNamed(names: readonly string[]): Projection[] {
  if (names.length === 0) return [...allProjections];
  return [...new Set(names)].map((name) => {
    const projection = allProjections.find((p) => p.name === name);
    if (!projection) throw new Error(`no projection named ${name} (known: ${allProjections.map((p) => p.name).join(', ')})`);
    return projection;
  });
}

export async function rebuildProjections(db: Database, options: RebuildOptions = {}): Promise<RebuildResult> {
  const projections = options.projections ?? allProjections;
  // Pages of 25,000 kept every page's rows, events and statements alive through minor GCs: a quarter of the
  // rebuild went to the collector. 5,000 per page cut that time by ~18% on the bench (SQLite, 200k events).
  const pageSize = options.pageSize ?? 5_000;
  const swapWithin = options.swapWithin ?? 2_000;
  const deferred = new Map<string, string[]>();
  for (const p of projections) {
    if (db.dialect === 'mysql') await db.execute(`DROP TABLE IF EXISTS ${retiredName(p.table)}`);
    await createTableLike(db, p.table, shadowName(p.table));
    if (db.dialect === 'mysql') deferred.set(p.table, await deferIndexes(db, shadowName(p.table)));
  }

  const applyToShadow = async (tx: Sql, events: readonly StoredEvent[]) => {
    const current = events.map(upcast);
    // One projection's statements at a time: a page's for all of them at once held twice the memory.
    for (const p of projections) await p.apply(tx, current, shadowName(p.table));
  };

  // Fill: chase the head; reading the next page overlaps writing this one. (Making the next page's statements
  // while this one's were written too was measured: 6 % faster on MariaDB, but a third more memory at the peak,
  // which `thrds import` under a 64 MB heap did not have.)
  let position = 0;
  let applied = 0;
  const fill = async () => {
    for (;;) {
      const head = await headPosition(db);
      if (head - position <= swapWithin) return;
      let next = awaitedLater(readPage(db, position, head, pageSize));
      while (position < head) {
        const page = await next;
        if (page.length === 0) break;
        const last = page.at(-1)!.position;
        if (last < head) next = awaitedLater(readPage(db, last, head, pageSize));
        await db.transaction((tx) => applyToShadow(tx, page), BULK);
        position = last;
        applied += page.length;
        options.onProgress?.(position, head);
      }
    }
  };
  await fill();
  // Building the indexes takes a while on a large table, and appends go on meanwhile: chased again after.
  for (const [table, definitions] of deferred) await addIndexes(db, shadowName(table), definitions);
  if (deferred.size > 0) await fill();

  await options.beforeSwap?.();
  const swap = db.dialect === 'mysql' ? swapMysql : swapSqlite;
  const last = await swap(db, projections, position, async (tx, from, to) => {
    for (let after = from; after < to; ) {
      const page = await readPage(tx, after, to, pageSize);
      if (page.length === 0) throw new Error(`the log has no events after ${after} up to its head ${to}`);
      await applyToShadow(tx, page);
      applied += page.length;
      after = page.at(-1)!.position;
    }
  });
  if (db.dialect === 'mysql') {
    await db.execute(`DROP TABLE IF EXISTS ${projections.map((p) => retiredName(p.table)).join(', ')}`);
    // A renamed-in InnoDB table counts 0 rows until its statistics are read again, and FULLTEXT relevance
    // divides by that count (every score reads DBL_MAX, search falls back to recency): counted now.
    for (const p of projections) await db.query(`ANALYZE TABLE ${tableName(p.table)}`);
  }
  options.onProgress?.(last, last);
  return { projections: projections.map((p) => p.name), position: last, events: applied };
}

/**
 * A promise this code awaits later, after awaiting others (the page read
 * ahead): handled now, so failing first is not an unhandled rejection (which
 * ends the process); the later `await` still throws its error.
 */
function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

type ApplyRange = (tx: Sql, after: number, upTo: number) => Promise<void>;

async function swapSqlite(db: Database, projections: readonly Projection[], position: number, applyRange: ApplyRange): Promise<number> {
  // BEGIN IMMEDIATE takes the write lock: appends from any process wait for the commit.
  return db.transaction(async (tx) => {
    const head = await lockedHead(db, tx);
    await applyRange(tx, position, head);
    for (const p of projections) await swapSqliteTable(tx, p.table);
    await setCheckpoints(tx, projections, head);
    return head;
  }, BULK);
}

async function swapMysql(db: Database, projections: readonly Projection[], position: number, applyRange: ApplyRange): Promise<number> {
  return db.transaction(async (lock) => {
    const head = await lockedHead(db, lock);
    // Uncommitted until after the RENAME: a failed swap leaves the checkpoints as they were.
    await setCheckpoints(lock, projections, head);
    await db.transaction(async (tx) => {
      await applyRange(tx, position, head);
    }, BULK);
    await db.transaction(async (ddl) => {
      await ddl.execute('SET SESSION lock_wait_timeout = 30');
      try {
        await ddl.execute(mysqlSwapStatement(projections.map((p) => p.table)));
      } finally {
        await ddl.execute('SET SESSION lock_wait_timeout = DEFAULT');
      }
    }, BULK);
    return head;
  }, BULK);
}

async function lockedHead(db: Database, tx: Sql): Promise<number> {
  const [row] = await tx.query<{ position: number | string }>(`SELECT position FROM log_head WHERE id = 1${db.forUpdate}`);
  if (!row) throw new Error('log_head is missing: run the migrations');
  return Number(row.position);
}

async function headPosition(db: Database): Promise<number> {
  const [row] = await db.query<{ position: number | string }>('SELECT position FROM log_head WHERE id = 1');
  return Number(row?.position ?? 0);
}

async function readPage(sql: Pick<Sql, 'query'>, after: number, upTo: number, limit: number): Promise<StoredEvent[]> {
  const rows = await sql.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`, [
    after,
    upTo,
    limit,
  ]);
  // Content in place ('' once erased); the caller upcasts.
  return rows.map(readableEventFromRow);
}

async function setCheckpoints(tx: Sql, projections: readonly Projection[], position: number): Promise<void> {
  for (const p of projections) {
    const [found] = await tx.query('SELECT name FROM projection_checkpoints WHERE name = ?', [p.name]);
    if (found) await tx.execute('UPDATE projection_checkpoints SET position = ? WHERE name = ?', [position, p.name]);
    else await tx.execute('INSERT INTO projection_checkpoints (name, position) VALUES (?, ?)', [p.name, position]);
  }
}

