/** Reads the log_head row: the position and hash the log ends at. */
import type { Database } from '../db/database.ts';
import { GENESIS_HASH } from '../events/hashChain.ts';
import type { LogHead } from '../events/eventStore.ts';

export async function readHead(db: Database): Promise<LogHead> {
  const [row] = await db.query<{ position: number | string; hash: string }>('SELECT position, hash FROM log_head WHERE id = 1');
  return row ? { position: Number(row.position), hash: row.hash } : { position: 0, hash: GENESIS_HASH };
}
