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
  const range = [after, head.position];
  const progress = { total: Math.max(0, head.position - after), onProgress: options.onProgress };
  const files = options.files;
  // Gathering files needs every row's columns; otherwise the database writes the lines (lineSql.ts).
  const count = files
    ? await writeLines(db.stream<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position`, range), out, progress, (row) => {
        files.pushRow(row);
        return lineFromRow(row);
      })
    : await writeLines(db.stream<LineRow>(lineQuery(db.dialect), range), out, progress, (row) => lineOf(row) ?? readRow(db, Number(row.position)).then(lineFromRow));
  await out.flush();
  return count;
}

/** Writes each row's line in order; `lineFor` returns a promise only for the rare row it must read again. */
async function writeLines<T>(
  rows: AsyncIterable<T>,
  out: Out,
  progress: { readonly total: number; readonly onProgress: ExportOptions['onProgress'] },
  lineFor: (row: T) => string | Promise<string>,
): Promise<number> {
  let count = 0;
  for await (const row of rows) {
    const line = lineFor(row);
    const full = out.line(typeof line === 'string' ? line : await line);
    if (full) await full;
    count += 1;
    if ((count & 0x3fff) === 0) progress.onProgress?.(count, progress.total);
  }
  return count;
}

async function readRow(db: Database, position: number): Promise<EventRow> {
  const [row] = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position = ?`, [position]);
  if (!row) throw new Error(`event ${position} disappeared during the export`);
  return row;
}
