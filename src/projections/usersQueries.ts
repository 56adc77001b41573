/** Reads of the users read model. */
import type { Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import type { UserRow } from './usersProjection.ts';

interface Row {
  id: string;
  username: string;
  display_name: string;
  registered_at: number;
  position: number;
}

const COLUMNS = 'id, username, display_name, registered_at, position';

function toUser(row: Row): UserRow {
  return { id: row.id, username: row.username, displayName: row.display_name, registeredAt: Number(row.registered_at), position: Number(row.position) };
}

export async function usersByIds(db: Sql, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return (await db.query<Row>(`SELECT ${COLUMNS} FROM users WHERE id IN (${inList(ids)})`, ids)).map(toUser);
}

export async function userByUsername(db: Sql, username: string): Promise<UserRow | null> {
  const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM users WHERE username = ?`, [username]);
  return row ? toUser(row) : null;
}
