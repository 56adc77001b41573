/**
 * `thrds import`: JSON lines into an empty store, in one transaction.
 * Every line is checked against the chain as it streams in; the first
 * broken link (or bad line, or clash) throws, the transaction rolls back,
 * and the store is left as it was. Memory holds one insert batch.
 */
import type { Database, Sql } from '../db/database.ts';
import { BULK_TIMEOUT_MS } from '../db/deadline.ts';
import { valuesList } from '../db/sqlFragments.ts';
import { EVENT_COLUMNS, rowValues } from '../events/eventRows.ts';
import type { LogHead } from '../events/eventStore.ts';
import type { StoredEvent } from '../events/types.ts';
import { ChainCheck, type Finding } from './chainCheck.ts';
import { eventFromLine } from './eventLine.ts';

export class ImportRefusedError extends Error {
  override readonly name = 'ImportRefusedError';
  constructor(
    message: string,
    readonly finding?: Finding,
  ) {
    super(message);
  }
}

export interface ImportOptions {
  readonly onProgress?: (done: number) => void;
}

const BATCH_ROWS = 1000;
const BATCH_BYTES = 1 << 20;

/** Returns the head the imported log ends at. */
export async function importLog(db: Database, lines: AsyncIterable<string>, options: ImportOptions = {}): Promise<LogHead> {
  return db.transaction(async (tx) => {
    await refuseUnlessEmpty(db, tx);
    const check = new ChainCheck();
    let batch: StoredEvent[] = [];
    let bytes = 0;
    let lineNumber = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await tx.execute(`INSERT INTO events (${EVENT_COLUMNS}) VALUES ${valuesList(10, batch.length)}`, batch.flatMap(rowValues));
      batch = [];
      bytes = 0;
    };
    for await (const text of lines) {
      lineNumber += 1;
      if (text.trim() === '') continue;
      const event = eventFromLine(text, lineNumber);
      const finding = check.push(event);
      if (finding) throw refusal(finding, lineNumber);
      batch.push(event);
      bytes += text.length;
      if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) {
        await flush();
        options.onProgress?.(check.count);
      }
    }
    const finding = check.end();
    if (finding) throw refusal(finding, lineNumber);
    await flush();
    const head = check.head;
    await tx.execute('UPDATE log_head SET position = ?, hash = ? WHERE id = 1', [head.position, head.hash]);
    return head;
  }, { timeoutMs: BULK_TIMEOUT_MS });
}

async function refuseUnlessEmpty(db: Database, tx: Sql): Promise<void> {
  const [head] = await tx.query<{ position: number | string }>(`SELECT position FROM log_head WHERE id = 1${db.forUpdate}`);
  const [any] = await tx.query<{ position: number | string }>('SELECT position FROM events ORDER BY position LIMIT 1');
  if (Number(head?.position ?? 0) !== 0 || any) {
    throw new ImportRefusedError(`the store is not empty (head at position ${Number(head?.position ?? 0)}): import only into an empty store`);
  }
}

function refusal(finding: Finding, lineNumber: number): ImportRefusedError {
  return new ImportRefusedError(`refused: broken chain at position ${finding.position} (${finding.kind}, near line ${lineNumber}): ${finding.detail}`, finding);
}
