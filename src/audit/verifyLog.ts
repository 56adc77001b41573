/**
 * `thrds verify`: streams the log in position order up to the head it finds
 * when it starts (appends may go on meanwhile) and checks every position and
 * every hash against the chain, then the head row itself, and every erasure
 * (erasureCheck.ts): erasable content against its digest, erased content
 * against the events that erased it.
 */
import type { Database } from '../db/database.ts';
import { EVENT_COLUMNS, type EventRow } from '../events/eventRows.ts';
import type { LogHead } from '../events/eventStore.ts';
import type { AttachmentRefs } from './attachmentRefs.ts';
import { ChainCheck, type Finding } from './chainCheck.ts';
import { checkErasedKeys, type ErasureCounts, ErasureCheck } from './erasureCheck.ts';
import { readHead } from './logHead.ts';

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
  readonly onProgress?: (done: number, total: number) => void;
  /** Gathers the files the live messages refer to, for the file check (fileCheck.ts). */
  readonly files?: AttachmentRefs;
}

export async function verifyLog(db: Database, options: VerifyOptions = {}): Promise<VerifyResult> {
  const head = await readHead(db);
  const check = new ChainCheck();
  const erasures = new ErasureCheck();
  let finding: Finding | undefined;
  let seen = 0;
  for await (const row of db.stream<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position <= ? ORDER BY position`, [head.position])) {
    finding = check.pushRow(row) ?? erasures.pushRow(row);
    if (finding) break;
    options.files?.pushRow(row);
    seen += 1;
    if ((seen & 0x3fff) === 0) options.onProgress?.(seen, head.position);
  }
  finding ??= check.end(head);
  if (finding && (finding.kind === 'edited' || finding.kind === 'reordered')) finding = await refineByStreamOrder(db, finding);
  // Erasures are judged over the whole log: only a walk that reached the head can tell an unauthorised one.
  const keys = await checkErasedKeys(db, erasures.erasedKeys);
  finding ??= first(erasures.end(), keys.finding);
  const counts = { ...erasures.counts, unerasable: keys.unerasable };
  return finding ? { count: check.count, head, erasures: counts, finding } : { count: check.count, head, erasures: counts };
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
