/**
 * Keeps the read models in step with the log. Inline: inside every append
 * transaction it applies the new events to each projection whose checkpoint
 * stands at the head the append started from, and moves that checkpoint in
 * the same transaction, so a crash can neither apply an event twice nor skip
 * one, and a query sent after a mutation's response sees the mutation.
 * Catch-up: a projection that is behind (new, or reset) is fed from the log
 * in pages, each page and its checkpoint in one transaction.
 */
import type { Database, Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import { EVENT_COLUMNS, type EventRow, readableEventFromRow } from '../events/eventRows.ts';
import type { LogHead, TransactionHook } from '../events/eventStore.ts';
import { upcast } from '../modules/index.ts';
import { messagesProjection } from './messagesProjection.ts';
import type { Projection } from './projection.ts';
import { threadsProjection } from './threadsProjection.ts';
import { reactionsProjection } from './reactionsProjection.ts';
import { mentionsProjection } from './mentionsProjection.ts';
import { attachmentsProjection } from './attachmentsProjection.ts';
import { usersProjection } from './usersProjection.ts';
import { botsProjection } from './botsProjection.ts';
import { threadBotsProjection } from './threadBotsProjection.ts';
import { BULK_TIMEOUT_MS } from '../db/deadline.ts';
import { searchProjection } from '../search/searchProjection.ts';

/** Catching up and resetting run before serving (or from the CLI): no request waits on them. */
const BULK = { timeoutMs: BULK_TIMEOUT_MS };

// In this order within a transaction: mentions read the users and messages rows written before them, search the messages rows.
export const allProjections: readonly Projection[] = [usersProjection, threadsProjection, messagesProjection, reactionsProjection, mentionsProjection, attachmentsProjection, searchProjection, botsProjection, threadBotsProjection];

export class ProjectionEngine {
  /**
   * The hook the event store runs inside each append transaction. The
   * checkpoints are read (and locked) with the log_head lock, so a projection
   * that a rebuild or catch-up has taken elsewhere is simply not written.
   */
  readonly inline: TransactionHook;

  constructor(
    private readonly db: Database,
    readonly projections: readonly Projection[] = allProjections,
  ) {
    this.inline = {
      read: { sql: `SELECT name, position FROM projection_checkpoints${db.forUpdate}`, params: [] },
      statements: (events, headBefore, rows) => {
        const at = new Map(rows.map((r) => [String(r.name), Number(r.position)]));
        const live = this.projections.filter((p) => at.get(p.name) === headBefore.position);
        if (live.length === 0) return [];
        return [
          ...live.flatMap((projection) => projection.statements(events)),
          {
            sql: `UPDATE projection_checkpoints SET position = ? WHERE position = ? AND name IN (${inList(live)})`,
            params: [events.at(-1)!.position, headBefore.position, ...live.map((p) => p.name)],
          },
        ];
      },
    };
  }

  /**
   * Brings every projection to the head of the log. Each page takes the
   * log_head lock, so appends wait for it rather than interleave with it.
   * Returns how many events were applied.
   */
  async catchUp(pageSize = 2000, onProgress?: (position: number, head: number) => void): Promise<number> {
    let applied = 0;
    for (;;) {
      const step = await this.db.transaction(async (tx) => {
        const [headRow] = await tx.query<LogHead>(`SELECT position, hash FROM log_head WHERE id = 1${this.db.forUpdate}`);
        const head = Number(headRow?.position ?? 0);
        const checkpoints = await readCheckpoints(tx, this.projections);
        const lowest = Math.min(...this.projections.map((p) => checkpoints.get(p.name) ?? 0));
        if (lowest >= head) return { count: 0, position: head, head };
        const rows = await tx.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`, [lowest, pageSize]);
        const events = rows.map((row) => upcast(readableEventFromRow(row)));
        const last = events.at(-1)?.position ?? lowest;
        for (const projection of this.projections) {
          const from = checkpoints.get(projection.name) ?? 0;
          const pending = events.filter((e) => e.position > from);
          if (pending.length === 0) continue;
          await projection.apply(tx, pending);
          await tx.execute('UPDATE projection_checkpoints SET position = ? WHERE name = ?', [last, projection.name]);
        }
        return { count: events.length, position: last, head };
      }, BULK);
      applied += step.count;
      onProgress?.(step.position, step.head);
      if (step.count === 0) break;
    }
    return applied;
  }

  /** Empties every read model and sets its checkpoint to 0 (then call `catchUp`). */
  async reset(): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Appends wait: none can write a model half emptied.
      await tx.query(`SELECT position FROM log_head WHERE id = 1${this.db.forUpdate}`);
      for (const projection of this.projections) {
        await tx.execute(`DELETE FROM ${projection.table}`);
        await tx.execute('UPDATE projection_checkpoints SET position = 0 WHERE name = ?', [projection.name]);
      }
    }, BULK);
  }
}

async function readCheckpoints(tx: Sql, projections: readonly Projection[]): Promise<Map<string, number>> {
  const rows = await tx.query<{ name: string; position: number }>('SELECT name, position FROM projection_checkpoints');
  const found = new Map(rows.map((r) => [r.name, Number(r.position)]));
  for (const projection of projections) {
    if (!found.has(projection.name)) {
      await tx.execute('INSERT INTO projection_checkpoints (name, position) VALUES (?, 0)', [projection.name]);
      found.set(projection.name, 0);
    }
  }
  return found;
}

