/**
 * `thrds verify`: streams the log in position order up to the head it finds
 * when it starts (appends may go on meanwhile) and checks every position and
 * every hash against the chain, then the head row itself, and every erasure
 * (erasureCheck.ts): erasable content against its digest, erased content
 * against the events that erased it. A long log is walked in stretches on
 * worker threads (logWorkers.ts, verifyStretch below) and comes to the same.
 */
import type { Database, StreamOptions } from '../db/database.ts';
import { EVENT_COLUMNS, type EventRow, parseJson } from '../events/eventRows.ts';
import type { LogHead } from '../events/eventStore.ts';
import { GENESIS_HASH } from '../events/hashChain.ts';
import { AttachmentRefs, type AttachmentRefsState } from './attachmentRefs.ts';
import { ChainCheck, type Finding } from './chainCheck.ts';
import { checkErasedKeys, type ErasureCounts, ErasureCheck, type ErasureState } from './erasureCheck.ts';
import { readHead } from './logHead.ts';
import { type ByteRow, byteRowColumns, decodedRow, integerOf } from './rowBytes.ts';
import { inOrder, LogWorkers, parallelPlan, type ParallelOptions, type Stretch } from './logWorkers.ts';

export interface VerifyResult {
  /** Events checked and found good. */
  readonly count: number;
  /** The head the walk went up to. */
  readonly head: LogHead;
  /** Erasures met on the way: events whose content was erased, the events that erased it, and what could not be erased. */
  readonly erasures: ErasureCounts;
  readonly finding?: Finding;
}

export interface VerifyOptions {
  /** Told how far the walk is; the walk on workers waits for a promise it returns before it hands out more stretches. */
  readonly onProgress?: (done: number, total: number) => void | Promise<void>;
  /** Gathers the files the live messages refer to, for the file check (fileCheck.ts). */
  readonly files?: AttachmentRefs;
  /** Walk a long log on worker threads (logWorkers.ts), each reading its stretches over its own connection. */
  readonly parallel?: ParallelOptions;
}

/** What the walk up to the head found, before the checks that look at the whole log. */
interface Walk {
  readonly count: number;
  readonly erasures: ErasureCheck;
  readonly finding: Finding | undefined;
}

export async function verifyLog(db: Database, options: VerifyOptions = {}): Promise<VerifyResult> {
  const head = await readHead(db);
  const plan = parallelPlan(options.parallel, 0, head.position);
  const walk = plan && options.parallel ? await walkOnWorkers(db, head, options.parallel.url, plan, options) : await walkHere(db, head, options);
  const { erasures } = walk;
  let finding = walk.finding;
  if (finding && (finding.kind === 'edited' || finding.kind === 'reordered')) finding = await refineByStreamOrder(db, finding);
  // Erasures are judged over the whole log: only a walk that reached the head can tell an unauthorised one.
  const keys = await checkErasedKeys(db, erasures.erasedKeys);
  finding ??= first(erasures.end(), keys.finding);
  const counts = { ...erasures.counts, unerasable: keys.unerasable };
  return finding ? { count: walk.count, head, erasures: counts, finding } : { count: walk.count, head, erasures: counts };
}

/** One streaming read of the whole log, on this thread: the whole log as one stretch. */
async function walkHere(db: Database, head: LogHead, options: VerifyOptions): Promise<Walk> {
  const erasures = new ErasureCheck();
  const { count, finding } = await walkStretch(db, { from: 1, to: head.position, head }, erasures, options.files, (seen) => void options.onProgress?.(seen, head.position));
  return { count, erasures, finding };
}

/** A stretch for a worker to verify (logWorker.ts). */
export interface VerifyStretchJob extends Stretch {
  readonly kind: 'verify';
  readonly head: LogHead;
  /** Gather the files the stretch refers to. */
  readonly files: boolean;
}

export interface VerifiedStretch {
  /** Events of the stretch that passed the chain check. */
  readonly count: number;
  /** The first problem in the stretch: the walk stops at it, as one walk of the whole log would. */
  readonly finding?: Finding;
  readonly erasures: ErasureState;
  readonly files?: AttachmentRefsState;
}

/** A worker's stretch (walkStretch), with what it found in a form the worker can post. */
export async function verifyStretch(db: Database, job: VerifyStretchJob): Promise<VerifiedStretch> {
  const erasures = new ErasureCheck();
  const files = job.files ? new AttachmentRefs() : undefined;
  const { count, finding } = await walkStretch(db, job, erasures, files);
  return { count, ...(finding ? { finding } : {}), erasures: erasures.state(), ...(files ? { files: files.state() } : {}) };
}

/**
 * Checks positions from..to as the walk of the whole log would, starting
 * from the stored hash of the event before (the stretch before checks that
 * one, so the stretches chain into one), into `erasures` and `files`. A hash
 * that does not match, or a stretch that ends early, is settled by the first
 * event after it, as in one walk; the last stretch ends at the head.
 */
async function walkStretch(
  db: Database,
  job: Stretch & { readonly head: LogHead },
  erasures: ErasureCheck,
  files: AttachmentRefs | undefined,
  onProgress?: (seen: number) => void,
): Promise<{ count: number; finding: Finding | undefined }> {
  // Gathering files reads every row's columns as text; otherwise MariaDB's rows come as bytes.
  const read = files || db.dialect !== 'mysql' ? EVENT_ROWS : BYTE_ROWS;
  return walkRows(db, read as RowKind<unknown>, job, erasures, files, onProgress);
}

/** How the walk reads rows: as EventRows, or as bytes (MariaDB/MySQL: a row that passes is never decoded). */
interface RowKind<R> {
  readonly columns: string;
  readonly options?: StreamOptions;
  position(row: R): number;
  decoded(row: R): EventRow;
  /** Checks the row's hash, then its erasure. */
  push(row: R, check: ChainCheck, erasures: ErasureCheck): Finding | undefined;
}

const EVENT_ROWS: RowKind<EventRow> = {
  columns: EVENT_COLUMNS,
  position: (row) => Number(row.position),
  decoded: (row) => row,
  push: (row, check, erasures) => check.pushRow(row) ?? erasures.pushRow(row),
};

const BYTE_ROWS: RowKind<ByteRow> = {
  columns: byteRowColumns(true),
  options: { bytes: true },
  position: (row) => integerOf(row.position),
  decoded: decodedRow,
  push: (row, check, erasures) => check.pushBytes(row) ?? erasures.pushBytes(row),
};

async function walkRows<R>(
  db: Database,
  kind: RowKind<R>,
  job: Stretch & { readonly head: LogHead },
  erasures: ErasureCheck,
  files: AttachmentRefs | undefined,
  onProgress?: (seen: number) => void,
): Promise<{ count: number; finding: Finding | undefined }> {
  const last = job.to >= job.head.position;
  const check = new ChainCheck(job.from === 1 ? { position: 0, hash: GENESIS_HASH } : { position: job.from - 1, hash: '' });
  let finding: Finding | undefined;
  let next: EventRow | undefined;
  let seen = 0;
  // Streamed rather than read whole: rows dropped as they are checked keep the collector's work small.
  const rows = db.stream<R>(`SELECT ${kind.columns} FROM events WHERE position >= ? AND position <= ? ORDER BY position`, [job.from - 1, last ? job.to : job.to + 1], kind.options);
  for await (const row of rows) {
    const position = kind.position(row);
    if (position === job.from - 1) {
      // The stretch before checks this event; this one chains from its stored hash. Without it (it is missing),
      // that stretch finds the gap first, so what this one reports comes too late to count.
      check.restart({ position, hash: kind.decoded(row).hash });
      continue;
    }
    if (position > job.to) {
      next = kind.decoded(row);
      break;
    }
    finding = kind.push(row, check, erasures);
    if (finding) break;
    if (files) files.pushRow(kind.decoded(row));
    seen += 1;
    if ((seen & 0x3fff) === 0) onProgress?.(seen);
  }
  if (!finding && (last || check.unsettled || check.head.position < job.to)) {
    // Short of the head, the first event past the stretch settles it (a hash that did not match, a gap); else the head does.
    if (!last) {
      next ??= (
        await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT 1`, [job.to, job.head.position])
      )[0];
    }
    finding = (next ? check.pushRow(next) : undefined) ?? check.end(job.head);
  }
  return { count: check.count, finding };
}

/**
 * The walk on worker threads: stretches checked side by side and put
 * together in position order, up to the first finding. The stretches are
 * read at different moments rather than in one snapshot, so content erased
 * while the walk ran may have been read erased with its erasure past the
 * head: the events appended since are looked at before calling it
 * unauthorised.
 */
async function walkOnWorkers(db: Database, head: LogHead, url: string, plan: { stretches: Stretch[]; workers: number }, options: VerifyOptions): Promise<Walk> {
  const erasures = new ErasureCheck();
  let count = 0;
  let finding: Finding | undefined;
  const pool = new LogWorkers(url, plan.workers);
  try {
    await inOrder<VerifiedStretch>(
      pool,
      plan.stretches,
      (stretch): VerifyStretchJob => ({ kind: 'verify', ...stretch, head, files: options.files !== undefined }),
      plan.workers * 2,
      async (result, stretch) => {
        count += result.count;
        erasures.absorb(result.erasures);
        if (result.files) options.files?.absorb(result.files);
        finding = result.finding;
        await options.onProgress?.(stretch.to, head.position);
        return finding !== undefined;
      },
    );
  } finally {
    await pool.close();
  }
  if (!finding && erasures.end()) {
    const later = await db.query<{ data: string | object }>('SELECT data FROM events WHERE position > ? ORDER BY position', [head.position]);
    erasures.authoriseLater(later.map((row) => parseJson(row.data) as Record<string, unknown>));
  }
  return { count, erasures, finding };
}

function first(a: Finding | undefined, b: Finding | undefined): Finding | undefined {
  if (!a || !b) return a ?? b;
  return a.position <= b.position ? a : b;
}

/**
 * An event whose stream neighbours sit on the wrong side of it was moved,
 * whatever the hashes around it suggest.
 */
async function refineByStreamOrder(db: Database, finding: Finding): Promise<Finding> {
  const [row] = await db.query<{ stream_id: string; stream_version: number }>('SELECT stream_id, stream_version FROM events WHERE position = ?', [
    finding.position,
  ]);
  if (!row) return finding;
  const [order] = await db.query<{ before_after: number | null; after_before: number | null }>(
    `SELECT
       (SELECT MIN(position) FROM events WHERE stream_id = ? AND stream_version < ? AND position > ?) AS before_after,
       (SELECT MAX(position) FROM events WHERE stream_id = ? AND stream_version > ? AND position < ?) AS after_before`,
    [row.stream_id, row.stream_version, finding.position, row.stream_id, row.stream_version, finding.position],
  );
  const misplaced = order?.before_after ?? order?.after_before;
  if (misplaced === null || misplaced === undefined) return finding;
  return {
    kind: 'reordered',
    position: finding.position,
    detail: `${finding.detail}; version ${row.stream_version} of stream ${row.stream_id} sits out of order with position ${Number(misplaced)}`,
  };
}
