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
import { bytesLineQuery, bytesMakeTheLine, maxLineBytes, slowLine, writeLineBytes } from './lineBytes.ts';
import type { ByteRow } from './rowBytes.ts';
import { type LineRow, lineOf, lineQuery } from './lineSql.ts';

export interface ExportOptions {
  readonly after?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Gathers the files the exported live messages refer to (`--with-files`). */
  readonly files?: AttachmentRefs;
}

/** Where the lines go: a LineWriter, or anything that takes lines as text (a line put together from bytes is decoded for it). */
type Out = Pick<LineWriter, 'line' | 'flush'> & Partial<Pick<LineWriter, 'encodedLine'>>;

/** Returns how many events it wrote. */
export async function exportLog(db: Database, out: Out, options: ExportOptions = {}): Promise<number> {
  const after = options.after ?? 0;
  const head = await readHead(db);
  const range = [after, head.position];
  const progress = { total: Math.max(0, head.position - after), onProgress: options.onProgress };
  const files = options.files;
  // Gathering files needs every row's columns as text. Otherwise SQLite writes the lines (lineSql.ts); MariaDB's come from the stored bytes (lineBytes.ts).
  let count: number;
  if (files) {
    count = await writeLines(db.stream<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position`, range), progress, (row) => {
      files.pushRow(row);
      return out.line(lineFromRow(row));
    });
  } else if (db.dialect === 'mysql') {
    count = await writeLines(db.stream<ByteRow>(bytesLineQuery, range, { bytes: true }), progress, (row) => {
      if (!bytesMakeTheLine(row)) return out.line(slowLine(row));
      const max = maxLineBytes(row);
      if (out.encodedLine) return out.encodedLine(max, writeLineBytes, row);
      const scratch = Buffer.allocUnsafe(max);
      return out.line(scratch.toString('utf8', 0, writeLineBytes(scratch, 0, row)));
    });
  } else {
    count = await writeLines(db.stream<LineRow>(lineQuery(), range), progress, (row) => {
      const line = lineOf(row);
      return line === undefined ? readRow(db, Number(row.position)).then((read) => out.line(lineFromRow(read))) : out.line(line);
    });
  }
  await out.flush();
  return count;
}

/** Writes each row's line in order: `write` returns a promise to await when the output is full, or the row had to be read again. */
async function writeLines<T>(
  rows: AsyncIterable<T>,
  progress: { readonly total: number; readonly onProgress: ExportOptions['onProgress'] },
  write: (row: T) => Promise<void> | undefined,
): Promise<number> {
  let count = 0;
  for await (const row of rows) {
    const waiting = write(row);
    if (waiting) await waiting;
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
