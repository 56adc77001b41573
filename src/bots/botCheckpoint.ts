/**
 * How far a bot has read the log: `bot_checkpoints` (reactor state, never
 * rebuilt with the read models). Every event at or before it has been
 * handled (answered, or found to ask nothing). It only moves forward, even
 * when a holder that lost its lease writes late.
 */
import type { Database, Sql } from '../db/database.ts';
import { valuesList } from '../db/sqlFragments.ts';
import type { EventStore } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';

/** The bot's checkpoint; null before its first run (it then starts at its BotAdded). */
export async function readCheckpoint(db: Database, botId: string): Promise<number | null> {
  const [row] = await db.query<{ position: number | string }>('SELECT position FROM bot_checkpoints WHERE bot_id = ?', [botId]);
  return row ? Number(row.position) : null;
}

export async function saveCheckpoint(db: Database, botId: string, position: number, now: number): Promise<void> {
  const insert = 'INSERT INTO bot_checkpoints (bot_id, position, updated_at) VALUES (?, ?, ?)';
  const sql =
    db.dialect === 'mysql'
      ? `${insert} ON DUPLICATE KEY UPDATE updated_at = IF(VALUES(position) > position, VALUES(updated_at), updated_at), position = GREATEST(position, VALUES(position))`
      : `${insert} ON CONFLICT (bot_id) DO UPDATE SET updated_at = CASE WHEN excluded.position > position THEN excluded.updated_at ELSE updated_at END, position = MAX(position, excluded.position)`;
  await db.execute(sql, [botId, position, now]);
}

/**
 * An imported log (`thrds import`) was answered where it came from; its
 * idempotency keys are not part of it. Each bot it adds starts at the
 * imported head, or it would answer every message of its history again.
 */
export async function checkpointsAfterImport(tx: Pick<Sql, 'execute'>, botIds: readonly string[], head: number, now: number): Promise<void> {
  if (botIds.length === 0) return;
  await tx.execute(`INSERT INTO bot_checkpoints (bot_id, position, updated_at) VALUES ${valuesList(3, botIds.length)}`, botIds.flatMap((id) => [id, head, now]));
}

/**
 * Where a bot's answering starts at the earliest: its BotAdded, or, when it
 * was removed and added again, the BotCardChanged that brought it back (a
 * removed bot answers nothing, not even later, what was said while it was away).
 */
export async function activeSince(store: Pick<EventStore, 'readStream'>, botId: string, addedAt: number): Promise<number> {
  let since = addedAt;
  let removed = false;
  for (const event of await store.readStream(streamOf.user(botId))) {
    if (event.type === 'BotRemoved') removed = true;
    if (event.type === 'BotCardChanged' && removed) {
      removed = false;
      since = event.position;
    }
  }
  return since;
}
