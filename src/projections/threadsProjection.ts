/** threads: one row per thread, with its message count and latest activity. */
import type { Statement } from '../db/database.ts';
import { CASE_UPDATE_ROWS, inList, valuesList } from '../db/sqlFragments.ts';
import type { StoredEvent } from '../events/types.ts';
import { evolveReadModel } from '../modules/index.ts';
import { type Projection, projection, tableName } from './projection.ts';

export interface ThreadRow {
  readonly id: string;
  readonly title: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly messageCount: number;
  readonly lastActivityAt: number;
  /** Position of the thread's latest event. */
  readonly position: number;
  /** Locked by a moderator: no new posts, reactions, edits or renames. */
  readonly locked: boolean;
}

/** A change to a thread that existed before the events: every event moves `position`. */
export interface ThreadChange {
  readonly position: number;
  readonly addedMessages?: number;
  readonly lastActivityAt?: number;
  readonly title?: string;
  readonly locked?: boolean;
}

/** The net change to one existing thread over a run of events. */
export interface ThreadPatch {
  readonly position: number;
  readonly addedMessages: number;
  readonly lastActivityAt?: number;
  readonly title?: string;
  readonly locked?: boolean;
}

/** What a run of events does to the threads table: the event modules' `threads` steps fill it in. */
export class ThreadChanges {
  /** Threads created by these events, with what followed folded in. */
  readonly created = new Map<string, ThreadRow>();
  /** Threads that existed before these events. */
  readonly patched = new Map<string, ThreadPatch>();

  open(row: ThreadRow): void {
    this.created.set(row.id, row);
  }

  change(threadId: string, change: ThreadChange): void {
    const fresh = this.created.get(threadId);
    if (fresh) {
      this.created.set(threadId, patchedRow(fresh, { ...change, addedMessages: change.addedMessages ?? 0 }));
      return;
    }
    const seen = this.patched.get(threadId);
    const lastActivityAt = change.lastActivityAt ?? seen?.lastActivityAt;
    const title = change.title ?? seen?.title;
    const locked = change.locked ?? seen?.locked;
    this.patched.set(threadId, {
      position: change.position,
      addedMessages: (seen?.addedMessages ?? 0) + (change.addedMessages ?? 0),
      ...(lastActivityAt !== undefined ? { lastActivityAt } : {}),
      ...(title !== undefined ? { title } : {}),
      ...(locked !== undefined ? { locked } : {}),
    });
  }
}

/** A thread row with a patch applied: what `patchStatement` does to the table, in memory. */
export function patchedRow(row: ThreadRow, patch: ThreadPatch): ThreadRow {
  return {
    ...row,
    position: patch.position,
    messageCount: row.messageCount + patch.addedMessages,
    lastActivityAt: patch.lastActivityAt ?? row.lastActivityAt,
    title: patch.title ?? row.title,
    locked: patch.locked ?? row.locked,
  };
}

export function evolveThreads(events: readonly StoredEvent[]): ThreadChanges {
  return evolveReadModel('threads', new ThreadChanges(), events);
}

export const threadsProjection: Projection = projection('threads', (events, table = 'threads') => {
  const { created, patched } = evolveThreads(events);
  const threads = tableName(table);
  const statements: Statement[] = [];
  if (created.size > 0) {
    const rows = [...created.values()];
    statements.push({
      sql: `INSERT INTO ${threads} (id, title, created_by, created_at, message_count, last_activity_at, position, locked) VALUES ${valuesList(8, rows.length)}`,
      params: rows.flatMap((r) => [r.id, r.title, r.createdBy, r.createdAt, r.messageCount, r.lastActivityAt, r.position, r.locked ? 1 : 0]),
    });
  }
  const ids = [...patched.keys()];
  for (let i = 0; i < ids.length; i += CASE_UPDATE_ROWS) statements.push(patchStatement(threads, ids.slice(i, i + CASE_UPDATE_ROWS), patched));
  return statements;
});

/** One statement for many threads the events touched, not one per thread; a column a patch leaves out keeps its value. */
function patchStatement(threads: string, ids: readonly string[], patched: ReadonlyMap<string, ThreadPatch>): Statement {
  const params: unknown[] = [];
  /** `name = CASE id WHEN … END` for the threads whose patch sets it; `added`: added to the current value. */
  const column = (name: string, pick: (patch: ThreadPatch) => unknown, added = false) => {
    const changed = ids.filter((id) => pick(patched.get(id)!) !== undefined);
    if (changed.length === 0) return [];
    for (const id of changed) params.push(id, pick(patched.get(id)!));
    const cases = `CASE id ${changed.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ${added ? '0' : name} END`;
    return [`${name} = ${added ? `${name} + ${cases}` : cases}`];
  };
  const assignments = [
    ...column('message_count', (p) => p.addedMessages || undefined, true),
    ...column('last_activity_at', (p) => p.lastActivityAt),
    ...column('title', (p) => p.title),
    ...column('locked', (p) => (p.locked === undefined ? undefined : p.locked ? 1 : 0)),
    ...column('position', (p) => p.position),
  ];
  return { sql: `UPDATE ${threads} SET ${assignments.join(', ')} WHERE id IN (${inList(ids)})`, params: [...params, ...ids] };
}
