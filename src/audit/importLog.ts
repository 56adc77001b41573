/**
 * `thrds import`: JSON lines into an empty store, in one transaction.
 * Every line is checked against the chain as it streams in; the first
 * broken link (or bad line, or clash) throws, the transaction rolls back,
 * and the store is left as it was. Memory holds two insert batches: one
 * being read while the other is written.
 *
 * Erasable content is checked against its digest and written beside the
 * data with its erasure key; each erased key goes into `erasures`, as the
 * store itself records it, and erased content must have been erased by a
 * later event of the log (erasureCheck.ts).
 */
import type { Database, Sql } from '../db/database.ts';
import { BULK_TIMEOUT_MS } from '../db/deadline.ts';
import { valuesList } from '../db/sqlFragments.ts';
import { erasableOf } from '../events/erasableContent.ts';
import { EVENT_COLUMN_COUNT, EVENT_COLUMNS, rowFromEvent, rowParams } from '../events/eventRows.ts';
import type { LogHead } from '../events/eventStore.ts';
import type { StoredEvent } from '../events/types.ts';
import { canonicalJson } from '../events/canonicalJson.ts';
import { checkpointsAfterImport } from '../bots/botCheckpoint.ts';
import type { AttachmentRefs } from './attachmentRefs.ts';
import { ChainCheck, type Finding } from './chainCheck.ts';
import { checkErasedKeys, ErasureCheck } from './erasureCheck.ts';
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
  /** Gathers the files the imported live messages refer to. */
  readonly files?: AttachmentRefs;
  /** Runs once every line has checked out, before the commit: a throw rolls the import back (`--with-files` copies the files here). */
  readonly beforeCommit?: () => Promise<void>;
}

/** Rows (or bytes of lines) per INSERT: 500 measured as fast as 1,000, and two batches now live at once. */
const BATCH_ROWS = 500;
const BATCH_BYTES = 1 << 19;

/**
 * Returns the head the imported log ends at. `lines` yields lines one by one
 * or in batches (readLineBatches, what the CLI reads with).
 */
export async function importLog(db: Database, lines: AsyncIterable<string | readonly string[]>, options: ImportOptions = {}): Promise<LogHead> {
  return db.transaction(async (tx) => {
    await refuseUnlessEmpty(db, tx);
    const check = new ChainCheck();
    const erasures = new ErasureCheck();
    const bots = new Set<string>();
    // The INSERT's parameters, EVENT_COLUMN_COUNT per row, gathered as each line checks out.
    let params: unknown[] = [];
    let rows = 0;
    let bytes = 0;
    let lineNumber = 0;
    // One INSERT in flight while the next batch is read and checked: the server writes as this process parses and hashes.
    let inFlight: Promise<unknown> | undefined;
    const flush = async () => {
      if (rows === 0) return;
      const statement = `INSERT INTO events (${EVENT_COLUMNS}) VALUES ${valuesList(EVENT_COLUMN_COUNT, rows)}`;
      // Full batches are one statement text, prepared once; a batch cut short (the last, or one of long lines) goes as text.
      const insert = { sql: statement, params, prepared: rows === BATCH_ROWS };
      params = [];
      rows = 0;
      bytes = 0;
      await inFlight;
      inFlight = tx.batch([insert]);
      inFlight.catch(() => {}); // awaited with the next batch, or at the end; a refusal meanwhile rolls back after it
    };
    /** Checks one line and queues its row; true when the batch is full. Synchronous: one await per batch, not per line. */
    const take = (text: string): boolean => {
      lineNumber += 1;
      if (text.trim() === '') return false;
      const event = eventFromLine(text, lineNumber);
      // Canonicalized once: the same text is hashed and stored.
      const dataJson = canonicalJson(event.data);
      const metadataJson = canonicalJson(event.metadata);
      const finding = check.push(event, dataJson, metadataJson) ?? erasures.push(event);
      if (finding) throw refusal(finding, lineNumber);
      params.push(...rowParams(rowFromEvent(event, dataJson, metadataJson, undefined, erasureKeyOf(event))));
      rows += 1;
      options.files?.push(event);
      if (event.type === 'BotAdded' && typeof event.data.userId === 'string') bots.add(event.data.userId);
      bytes += text.length;
      return rows >= BATCH_ROWS || bytes >= BATCH_BYTES;
    };
    const flushFull = async () => {
      await flush();
      options.onProgress?.(check.count);
    };
    for await (const item of lines) {
      if (typeof item === 'string') {
        if (take(item)) await flushFull();
      } else {
        for (const text of item) if (take(text)) await flushFull();
      }
    }
    const finding = check.end() ?? erasures.end();
    if (finding) throw refusal(finding, lineNumber);
    await flush();
    await inFlight;
    const erased = [...erasures.erasedKeys];
    for (let i = 0; i < erased.length; i += BATCH_ROWS) {
      const chunk = erased.slice(i, i + BATCH_ROWS);
      await tx.execute(`INSERT INTO erasures (erasure_key, position) VALUES ${valuesList(2, chunk.length)}`, chunk.flat());
    }
    const restored = (await checkErasedKeys(tx, erasures.erasedKeys)).finding;
    if (restored) throw refusal(restored, lineNumber);
    await options.beforeCommit?.();
    const head = check.head;
    await tx.execute('UPDATE log_head SET position = ?, hash = ? WHERE id = 1', [head.position, head.hash]);
    await checkpointsAfterImport(tx, [...bots], head.position, Date.now());
    return head;
  }, { timeoutMs: BULK_TIMEOUT_MS }).catch((error: unknown) => {
    throw duplicateRefusal(error) ?? error;
  });
}

/**
 * A log whose chain checks out can still hold two events with one event id,
 * or one stream version twice: the store's unique keys refuse it
 * (ER_DUP_ENTRY, SQLite's UNIQUE constraint). Loading with MariaDB's bulk
 * insert into an empty table (`unique_checks = 0`) was measured and not
 * kept: over 1,000,000 events the server spent 46.7 s of CPU against 21.1.
 */
function duplicateRefusal(error: unknown): ImportRefusedError | undefined {
  const { errno, code, message } = error as { errno?: unknown; code?: unknown; message?: unknown };
  const duplicate = errno === 1062 || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  if (!duplicate) return undefined;
  return new ImportRefusedError(`refused: two events share an event id, or a stream and version (${String(message)})`);
}

/**
 * The erasure_key column: the key the data names, or, for a message posted
 * before erasable content (MessagePosted v1/v2), `message:<id>`, as
 * migration 006 set it for the messages already stored.
 */
function erasureKeyOf(event: StoredEvent): string | null {
  const erasable = erasableOf(event.data);
  if (erasable) return erasable.key;
  const messageId = event.data.messageId;
  return event.type === 'MessagePosted' && typeof messageId === 'string' ? `message:${messageId}` : null;
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
