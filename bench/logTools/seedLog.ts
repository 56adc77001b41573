/** Loads a synthetic chained log straight into the events table with multi-row INSERTs (no API, no projections). */
import type { Database } from '../../src/db/database.ts';
import { valuesList } from '../../src/db/sqlFragments.ts';
import { EVENT_COLUMN_COUNT, EVENT_COLUMNS, rowValues } from '../../src/events/eventRows.ts';
import type { StoredEvent } from '../../src/events/types.ts';
import { syntheticEvents, type SyntheticShape } from './syntheticLog.ts';
import { BULK_TIMEOUT_MS } from '../../src/db/deadline.ts';

const ROWS_PER_INSERT = 1000;
const INSERTS_PER_TRANSACTION = 50;

export async function seedLog(db: Database, count: number, shape?: SyntheticShape): Promise<void> {
  const events = syntheticEvents(count, shape);
  let last: StoredEvent | undefined;
  for (let done = false; !done; ) {
    await db.transaction(async (tx) => {
      for (let i = 0; i < INSERTS_PER_TRANSACTION; i += 1) {
        const chunk: StoredEvent[] = [];
        for (let next = events.next(); ; next = events.next()) {
          if (next.done) {
            done = true;
            break;
          }
          chunk.push(next.value);
          if (chunk.length === ROWS_PER_INSERT) break;
        }
        if (chunk.length === 0) return;
        await tx.execute(`INSERT INTO events (${EVENT_COLUMNS}) VALUES ${valuesList(EVENT_COLUMN_COUNT, chunk.length)}`, chunk.flatMap(rowValues));
        last = chunk.at(-1);
        if (done) return;
      }
    }, { timeoutMs: BULK_TIMEOUT_MS });
  }
  if (last) await db.execute('UPDATE log_head SET position = ?, hash = ? WHERE id = 1', [last.position, last.hash]);
}
