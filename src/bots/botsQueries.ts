/** Reads of the bots and thread_bots read models (issue 15). */
import type { Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import type { BotRow, CharacterCard } from './types.ts';

interface Row {
  id: string;
  username: string;
  display_name: string;
  card: string | CharacterCard;
  added_at: number | string;
  position: number | string;
  removed_at: number | string | null;
}

const COLUMNS = 'b.id, b.username, b.display_name, b.card, b.added_at, b.position, b.removed_at';

function toBot(row: Row): BotRow {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    // Stored as JSON text; a driver that parses JSON columns hands the object over.
    card: typeof row.card === 'string' ? (JSON.parse(row.card) as CharacterCard) : row.card,
    addedAt: Number(row.added_at),
    position: Number(row.position),
    removedAt: row.removed_at === null ? null : Number(row.removed_at),
  };
}

/** Every bot not removed, by username; at most `limit` of them when given (a list a client asks for). */
export async function activeBots(db: Sql, limit?: number): Promise<BotRow[]> {
  const sql = `SELECT ${COLUMNS} FROM bots b WHERE b.removed_at IS NULL ORDER BY b.username`;
  return (await (limit === undefined ? db.query<Row>(sql) : db.query<Row>(`${sql} LIMIT ?`, [limit]))).map(toBot);
}

/** A bot by its user id, removed or not; null for a person or an unknown id. */
export async function botById(db: Sql, id: string): Promise<BotRow | null> {
  const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM bots b WHERE b.id = ?`, [id]);
  return row ? toBot(row) : null;
}

/** Bots by user id, removed or not, in no particular order (ids that are no bot's are left out). */
export async function botsByIds(db: Sql, ids: readonly string[]): Promise<BotRow[]> {
  if (ids.length === 0) return [];
  return (await db.query<Row>(`SELECT ${COLUMNS} FROM bots b WHERE b.id IN (${inList(ids)})`, ids)).map(toBot);
}

/** A bot by username, removed or not; null when no bot has it (a person may). */
export async function botByUsername(db: Sql, username: string): Promise<BotRow | null> {
  const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM bots b WHERE b.username = ?`, [username]);
  return row ? toBot(row) : null;
}

/** The active bots invited to a thread, by username. */
export async function botIdsInThread(db: Sql, threadId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    'SELECT b.id FROM thread_bots tb JOIN bots b ON b.id = tb.bot_id WHERE tb.thread_id = ? AND b.removed_at IS NULL ORDER BY b.username',
    [threadId],
  );
  return rows.map((row) => row.id);
}

/** The active bots invited to a thread, by username, with their rows. */
export async function botsInThread(db: Sql, threadId: string): Promise<BotRow[]> {
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM thread_bots tb JOIN bots b ON b.id = tb.bot_id WHERE tb.thread_id = ? AND b.removed_at IS NULL ORDER BY b.username`,
    [threadId],
  );
  return rows.map(toBot);
}

/** Whether a bot is invited to a thread (removed or not). */
export async function isBotInvited(db: Sql, threadId: string, botId: string): Promise<boolean> {
  return (await db.query('SELECT 1 AS found FROM thread_bots WHERE thread_id = ? AND bot_id = ?', [threadId, botId])).length > 0;
}
