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
import { type LineRow, lineOf, lineQuery } from './lineSql.ts';

export interface ExportOptions {
  readonly after?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Gathers the files the exported live messages refer to (`--with-files`). */
  readonly files?: AttachmentRefs;
}

type Out = Pick<LineWriter, 'line' | 'flush'>;

/** Returns how many events it wrote. */
export async function exportLog(db: Database, out: Out, options: ExportOptions = {}): Promise<number> {
  const after = options.after ?? 0;
  const head = await readHead(db);
  const range = { after, head: head.position, total: Math.max(0, head.position - after) };
  // Gathering files needs every row's columns; otherwise the database writes the lines (lineSql.ts).
  const count = options.files ? await exportRows(db, out, range, options.files, options.onProgress) : await exportLines(db, out, range, options.onProgress);
  await out.flush();
  return count;
}

interface Range {
  readonly after: number;
  readonly head: number;
  readonly total: number;
}

async function exportLines(db: Database, out: Out, range: Range, onProgress: ExportOptions['onProgress']): Promise<number> {
  let count = 0;
  for await (const row of db.stream<LineRow>(lineQuery(db.dialect), [range.after, range.head])) {
    const line = lineOf(row) ?? lineFromRow(await readRow(db, Number(row.position)));
    const full = out.line(line);
    if (full) await full;
    count += 1;
    if ((count & 0x3fff) === 0) onProgress?.(count, range.total);
  }
  return count;
}

async function exportRows(db: Database, out: Out, range: Range, files: AttachmentRefs, onProgress: ExportOptions['onProgress']): Promise<number> {
  let count = 0;
  for await (const row of db.stream<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position`, [range.after, range.head])) {
    const full = out.line(lineFromRow(row));
    if (full) await full;
    files.pushRow(row);
    count += 1;
    if ((count & 0x3fff) === 0) onProgress?.(count, range.total);
  }
  return count;
}

async function readRow(db: Database, position: number): Promise<EventRow> {
  const [row] = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position = ?`, [position]);
  if (!row) throw new Error(`event ${position} disappeared during the export`);
  return row;
}
