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
import { eventFromRow, EVENT_COLUMNS, type EventRow } from '../events/eventRows.ts';
import type { LogHead, TransactionHook } from '../events/eventStore.ts';
import type { StoredEvent } from '../events/types.ts';
import { upcast } from '../events/upcast.ts';
import { messagesProjection } from './messagesProjection.ts';
import type { Projection } from './projection.ts';
import { threadsProjection } from './threadsProjection.ts';
import { usersProjection } from './usersProjection.ts';

export const allProjections: readonly Projection[] = [usersProjection, threadsProjection, messagesProjection];

export class ProjectionEngine {
  /** The head at which every projection was last seen live; saves reading checkpoints per append. */
  private liveAt: number | undefined;

  constructor(
    private readonly db: Database,
    readonly projections: readonly Projection[] = allProjections,
  ) {}

  /** The hook the event store runs inside each append transaction. */
  readonly inline: TransactionHook = async (tx, events, headBefore, writes) => {
    const last = events.at(-1)!.position;
    let live = this.projections;
    if (this.liveAt !== headBefore.position) {
      const checkpoints = await readCheckpoints(tx, this.projections);
      live = this.projections.filter((p) => checkpoints.get(p.name) === headBefore.position);
    }
    this.liveAt = undefined;
    if (live.length === 0) return;
    const current = events.map(upcast);
    for (const projection of live) for (const statement of projection.statements(current)) writes.add(statement);
    // The guard on the old position makes a stale `liveAt` fail loudly instead of skipping events.
    const expected = live.length;
    writes.add(
      {
        sql: `UPDATE projection_checkpoints SET position = ? WHERE position = ? AND name IN (${inList(live)})`,
        params: [last, headBefore.position, ...live.map((p) => p.name)],
      },
      (affectedRows) => {
        if (affectedRows !== expected) throw new Error('projection checkpoints moved under an append; retrying after re-reading them');
      },
    );
    if (live.length === this.projections.length) this.liveAt = last;
  };

  /**
   * Brings every projection to the head of the log. Each page takes the
   * log_head lock, so appends wait for it rather than interleave with it.
   * Returns how many events were applied.
   */
  async catchUp(pageSize = 2000, onProgress?: (position: number, head: number) => void): Promise<number> {
    this.liveAt = undefined;
    let applied = 0;
    for (;;) {
      const step = await this.db.transaction(async (tx) => {
        const [headRow] = await tx.query<LogHead>(`SELECT position, hash FROM log_head WHERE id = 1${this.db.forUpdate}`);
        const head = Number(headRow?.position ?? 0);
        const checkpoints = await readCheckpoints(tx, this.projections);
        const lowest = Math.min(...this.projections.map((p) => checkpoints.get(p.name) ?? 0));
        if (lowest >= head) return { count: 0, position: head, head };
        const rows = await tx.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`, [lowest, pageSize]);
        const events = rows.map(eventFromRow).map(upcast);
        const last = events.at(-1)?.position ?? lowest;
        for (const projection of this.projections) {
          const from = checkpoints.get(projection.name) ?? 0;
          const pending = events.filter((e) => e.position > from);
          if (pending.length === 0) continue;
          await projection.apply(tx, pending);
          await tx.execute('UPDATE projection_checkpoints SET position = ? WHERE name = ?', [last, projection.name]);
        }
        return { count: events.length, position: last, head };
      });
      applied += step.count;
      onProgress?.(step.position, step.head);
      if (step.count === 0) break;
    }
    return applied;
  }

  /** Empties every read model and sets its checkpoint to 0 (then call `catchUp`). */
  async reset(): Promise<void> {
    this.liveAt = undefined;
    await this.db.transaction(async (tx) => {
      for (const projection of this.projections) {
        await tx.execute(`DELETE FROM ${projection.table}`);
        await tx.execute('UPDATE projection_checkpoints SET position = 0 WHERE name = ?', [projection.name]);
      }
    });
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

