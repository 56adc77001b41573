/** `thrds stats`: what the log holds and how far each read model trails it. */
import type { Database } from '../db/database.ts';
import type { LogHead } from '../events/eventStore.ts';
import { readHead } from './logHead.ts';

export interface LogStats {
  readonly head: LogHead;
  readonly events: number;
  readonly streams: number;
  readonly byType: ReadonlyArray<{ readonly type: string; readonly count: number }>;
  readonly projections: ReadonlyArray<{ readonly name: string; readonly position: number; readonly lag: number }>;
}

export async function logStats(db: Database): Promise<LogStats> {
  const head = await readHead(db);
  const byType = await db.query<{ type: string; count: number | string }>('SELECT type, COUNT(*) AS count FROM events GROUP BY type ORDER BY type');
  const [streams] = await db.query<{ count: number | string }>('SELECT COUNT(DISTINCT stream_id) AS count FROM events');
  const checkpoints = await db.query<{ name: string; position: number | string }>('SELECT name, position FROM projection_checkpoints ORDER BY name');
  // Sorted here, by code unit: the stores' collations order `message_mentions` and `messages` differently.
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  byType.sort((a, b) => byName(a.type, b.type));
  checkpoints.sort((a, b) => byName(a.name, b.name));
  return {
    head,
    events: byType.reduce((sum, t) => sum + Number(t.count), 0),
    streams: Number(streams?.count ?? 0),
    byType: byType.map((t) => ({ type: t.type, count: Number(t.count) })),
    projections: checkpoints.map((c) => ({ name: c.name, position: Number(c.position), lag: head.position - Number(c.position) })),
  };
}
