/**
 * The attachments sweep: uploads never posted go after a day (their row,
 * and their bytes when nothing else uses them), and files nobody refers to
 * go after an hour (a crash between a deletion's append and its erasure, or
 * between an upload's put and its row). The hour keeps an upload in flight
 * safe: its bytes are written before its row. Runs on a timer in the server
 * (unref'd); the clock is passed in, so a test moves it.
 */
import type { Database } from '../db/database.ts';
import { log, logFailure } from '../observability/log.ts';
import type { Attachments } from './attachments.ts';
import { removeAttachmentFiles, removeUnreferenced } from './eraseFiles.ts';
import { staleUploads } from './uploadRows.ts';

export const UPLOAD_MAX_AGE_MS = 24 * 60 * 60_000;
export const ORPHAN_MIN_AGE_MS = 60 * 60_000;
/** Rows or files looked at per statement. */
const BATCH = 200;

export interface SweepResult {
  readonly uploadsRemoved: number;
  readonly filesRemoved: number;
}

export async function sweepAttachments(db: Database, attachments: Attachments, now: number): Promise<SweepResult> {
  let uploadsRemoved = 0;
  let filesRemoved = 0;
  for (;;) {
    const stale = await staleUploads(db, now - UPLOAD_MAX_AGE_MS, BATCH);
    if (stale.length === 0) break;
    // Each row's data carries the upload's own id.
    filesRemoved += await removeAttachmentFiles(
      db,
      attachments,
      stale.map((row) => row.data),
    );
    uploadsRemoved += stale.length;
    if (stale.length < BATCH) break;
  }
  let batch: string[] = [];
  for await (const file of attachments.files.list()) {
    if (file.modifiedAt >= now - ORPHAN_MIN_AGE_MS) continue;
    batch.push(file.sha256);
    if (batch.length === BATCH) {
      filesRemoved += await removeUnreferenced(db, attachments, batch);
      batch = [];
    }
  }
  if (batch.length > 0) filesRemoved += await removeUnreferenced(db, attachments, batch);
  if (uploadsRemoved > 0 || filesRemoved > 0) log.info({ uploadsRemoved, filesRemoved }, `attachments sweep: removed ${uploadsRemoved} unposted uploads and ${filesRemoved} unused files`);
  return { uploadsRemoved, filesRemoved };
}

/** Sweeps every `everyMs` (one sweep at a time); returns the stop. */
export function startAttachmentSweep(db: Database, attachments: Attachments, clock: () => number, everyMs = 10 * 60_000): () => void {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= sweepAttachments(db, attachments, clock())
      .catch((error: unknown) => logFailure(log, error, 'attachments sweep failed; will retry', 'warn'))
      .finally(() => (running = undefined));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
