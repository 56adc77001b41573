/**
 * What the store holds after a fault, compared with what clients were told:
 * messages in the log (MessagePosted events) and in the read model, counted
 * by body (= idempotency key), and the hash chain verified.
 */
import { verifyLog, type VerifyResult } from '../../../src/audit/verifyLog.ts';
import { openDatabase } from '../../../src/db/openDatabase.ts';
import { EVENT_COLUMNS, type EventRow, readableEventFromRow } from '../../../src/events/eventRows.ts';

export interface StoreContents {
  /** Body → how many MessagePosted events carry it (in the thread). */
  readonly logged: ReadonlyMap<string, number>;
  /** Body → how many rows of the messages read model carry it. */
  readonly projected: ReadonlyMap<string, number>;
  readonly verify: VerifyResult;
}

export async function readStore(databaseUrl: string, threadId: string): Promise<StoreContents> {
  const db = await openDatabase(databaseUrl);
  try {
    const logged = new Map<string, number>();
    for (const row of await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE type = 'MessagePosted'`)) {
      // Today's shape: the body is erasable content, stored beside the hashed data since MessagePosted v3.
      const data = readableEventFromRow(row).data as { threadId?: string; body?: string };
      if (data.threadId === threadId && typeof data.body === 'string') logged.set(data.body, (logged.get(data.body) ?? 0) + 1);
    }
    const projected = new Map<string, number>();
    for (const row of await db.query<{ body: string }>('SELECT body FROM messages WHERE thread_id = ?', [threadId])) {
      projected.set(row.body, (projected.get(row.body) ?? 0) + 1);
    }
    return { logged, projected, verify: await verifyLog(db) };
  } finally {
    await db.close();
  }
}

export interface Discrepancies {
  /** Acknowledged to a client but not in the log. */
  readonly lost: string[];
  /** Acknowledged but missing from the read model. */
  readonly unprojected: string[];
  /** In the log (or the read model) more than once. */
  readonly duplicated: string[];
  /** In the log but never acknowledged to anyone. */
  readonly unacknowledged: string[];
}

export function compare(contents: StoreContents, acknowledged: ReadonlySet<string>): Discrepancies {
  const lost = [...acknowledged].filter((key) => !contents.logged.has(key));
  const unprojected = [...acknowledged].filter((key) => !contents.projected.has(key));
  const duplicated = [...contents.logged, ...contents.projected].filter(([, n]) => n > 1).map(([key]) => key);
  const unacknowledged = [...contents.logged.keys()].filter((key) => !acknowledged.has(key));
  return { lost, unprojected, duplicated: [...new Set(duplicated)], unacknowledged };
}
