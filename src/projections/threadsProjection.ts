/** threads: one row per thread, with its message count and latest activity. */
import type { Statement } from '../db/database.ts';
import type { StoredEvent } from '../events/types.ts';
import { inList, valuesList } from '../db/sqlFragments.ts';
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
}

export interface ThreadActivity {
  readonly added: number;
  readonly lastActivityAt: number;
  readonly position: number;
}

export interface ThreadChanges {
  /** Threads created by these events, with the activity that followed. */
  readonly created: Map<string, ThreadRow>;
  /** Activity on threads that existed before these events. */
  readonly activity: Map<string, ThreadActivity>;
}

export function evolveThreads(events: readonly StoredEvent[]): ThreadChanges {
  const created = new Map<string, ThreadRow>();
  const activity = new Map<string, ThreadActivity>();
  for (const event of events) {
    if (event.type === 'ThreadCreated') {
      const data = event.data as { threadId: string; title: string };
      created.set(data.threadId, {
        id: data.threadId,
        title: data.title,
        createdBy: event.metadata.actorId ?? '',
        createdAt: event.recordedAt,
        messageCount: 0,
        lastActivityAt: event.recordedAt,
        position: event.position,
      });
    } else if (event.type === 'MessagePosted') {
      const { threadId } = event.data as { threadId: string };
      const fresh = created.get(threadId);
      if (fresh) {
        created.set(threadId, { ...fresh, messageCount: fresh.messageCount + 1, lastActivityAt: event.recordedAt, position: event.position });
      } else {
        const seen = activity.get(threadId);
        activity.set(threadId, { added: (seen?.added ?? 0) + 1, lastActivityAt: event.recordedAt, position: event.position });
      }
    }
  }
  return { created, activity };
}

export const threadsProjection: Projection = projection('threads', (events, table = 'threads') => {
  const { created, activity } = evolveThreads(events);
  const t = tableName(table);
  const statements: Statement[] = [];
  if (created.size > 0) {
    const rows = [...created.values()];
    statements.push({
      sql: `INSERT INTO ${t} (id, title, created_by, created_at, message_count, last_activity_at, position) VALUES ${valuesList(7, rows.length)}`,
      params: rows.flatMap((r) => [r.id, r.title, r.createdBy, r.createdAt, r.messageCount, r.lastActivityAt, r.position]),
    });
  }
  if (activity.size > 0) {
    // One statement for every thread the events touched, not one per thread.
    const ids = [...activity.keys()];
    const cases = ids.map(() => 'WHEN ? THEN ?').join(' ');
    const column = (pick: (a: ThreadActivity) => number) => ids.flatMap((id) => [id, pick(activity.get(id)!)]);
    statements.push({
      sql: `UPDATE ${t} SET message_count = message_count + CASE id ${cases} END, last_activity_at = CASE id ${cases} END, position = CASE id ${cases} END WHERE id IN (${inList(ids)})`,
      params: [...column((a) => a.added), ...column((a) => a.lastActivityAt), ...column((a) => a.position), ...ids],
    });
  }
  return statements;
});
