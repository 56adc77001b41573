/**
 * `thrds export`: the log as JSON lines in its stored form, streamed from
 * the database to the writer, up to the head found at the start.
 */
import type { Database } from '../db/database.ts';
import { EVENT_COLUMNS, type EventRow } from '../events/eventRows.ts';
import type { LineWriter } from '../cli/output.ts';
import type { AttachmentRefs } from './attachmentRefs.ts';
import { lineFromRow } from './eventLine.ts';
import { readHead } from './logHead.ts';

export interface ExportOptions {
  readonly after?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Gathers the files the exported live messages refer to (`--with-files`). */
  readonly files?: AttachmentRefs;
}

/** Returns how many events it wrote. */
export async function exportLog(db: Database, out: Pick<LineWriter, 'line' | 'flush'>, options: ExportOptions = {}): Promise<number> {
  const after = options.after ?? 0;
  const head = await readHead(db);
  const total = Math.max(0, head.position - after);
  let count = 0;
  for await (const row of db.stream<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position`, [
    after,
    head.position,
  ])) {
    const full = out.line(lineFromRow(row));
    if (full) await full;
    options.files?.pushRow(row);
    count += 1;
    if ((count & 0x3fff) === 0) options.onProgress?.(count, total);
  }
  await out.flush();
  return count;
}
