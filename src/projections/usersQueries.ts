/** Reads of the users read model. */
import type { Database, Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import { streamOf } from '../events/types.ts';
import type { AvatarRow, Role, UserRow, UserStanding } from './usersProjection.ts';

interface Row {
  id: string;
  username: string;
  display_name: string;
  registered_at: number;
  position: number;
  is_bot: number | string;
}

/**
 * How "until further notice" is stored: the last instant a DateTime can
 * name (the scalar takes four-digit years), so "is it over?" stays one
 * comparison with the clock and the column needs no second meaning for null.
 */
export const UNTIL_FURTHER_NOTICE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const COLUMNS = 'id, username, display_name, registered_at, position, is_bot';

function toUser(row: Row): UserRow {
  return { id: row.id, username: row.username, displayName: row.display_name, registeredAt: Number(row.registered_at), position: Number(row.position), isBot: Number(row.is_bot) === 1 };
}

export async function usersByIds(db: Sql, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return (await db.query<Row>(`SELECT ${COLUMNS} FROM users WHERE id IN (${inList(ids)})`, ids)).map(toUser);
}

export async function userByUsername(db: Sql, username: string): Promise<UserRow | null> {
  const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM users WHERE username = ?`, [username]);
  return row ? toUser(row) : null;
}

/** Whether anyone has registered yet (the first to register on an empty store is its admin). */
export async function anyUserRegistered(db: Sql): Promise<boolean> {
  return (await db.query('SELECT 1 AS found FROM users WHERE is_bot = 0 LIMIT 1')).length > 0;
}

/** A user's id with their standing now (never cached: a moderator, or the CLI in another process, changes it). */
export type StandingRow = { readonly id: string } & UserStanding;

export async function standingsByIds(db: Sql, ids: readonly string[]): Promise<StandingRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ id: string; role: string; suspended_until: number | string | null }>(
    `SELECT id, role, suspended_until FROM users WHERE id IN (${inList(ids)})`,
    ids,
  );
  return rows.map((row) => ({ id: row.id, role: roleOf(row.role), suspendedUntil: row.suspended_until === null ? null : Number(row.suspended_until) }));
}

/** A role column's value; anything else there is a broken read model, not a member. */
export function roleOf(value: string): Role {
  if (value === 'MEMBER' || value === 'MODERATOR' || value === 'ADMIN') return value;
  throw new Error(`users.role holds ${JSON.stringify(value)}, not a role`);
}

/** A user's standing with their stream's version, read in one statement so they agree (a change expects that version). */
export async function standingForChange(db: Sql, userId: string): Promise<(UserStanding & { readonly version: number }) | null> {
  const [row] = await db.query<{ role: string; suspended_until: number | string | null; version: number | string | null }>(
    'SELECT role, suspended_until, (SELECT MAX(stream_version) FROM events WHERE stream_id = ?) AS version FROM users WHERE id = ?',
    [streamOf.user(userId), userId],
  );
  if (!row) return null;
  return { role: roleOf(row.role), suspendedUntil: row.suspended_until === null ? null : Number(row.suspended_until), version: Number(row.version ?? 0) };
}

/**
 * Every admin with their stream's version, ordered by id: the state of the
 * admin set a role change is decided on. One statement, so the set and the
 * versions are one snapshot (two reads could pair a set from before a change
 * with versions from after it: a state that never was).
 */
export async function adminsWithVersions(db: Pick<Database, 'query' | 'dialect'>): Promise<Array<{ readonly userId: string; readonly version: number }>> {
  const streamId = db.dialect === 'mysql' ? 'CONCAT(?, u.id)' : '(? || u.id)';
  const rows = await db.query<{ id: string; version: number | string | null }>(
    `SELECT u.id, (SELECT MAX(e.stream_version) FROM events e WHERE e.stream_id = ${streamId}) AS version FROM users u WHERE u.role = 'ADMIN' ORDER BY u.id`,
    [streamOf.user('')],
  );
  return rows.map((row) => ({ userId: row.id, version: Number(row.version ?? 0) }));
}

interface AvatarColumns {
  id: string;
  avatar_id: string | null;
  avatar_sha256: string | null;
  avatar_content_type: string | null;
  avatar_byte_size: number | string | null;
}

const AVATAR_SELECT = 'id, avatar_id, avatar_sha256, avatar_content_type, avatar_byte_size';

function avatarOf(row: AvatarColumns): AvatarRow | null {
  if (row.avatar_id === null || row.avatar_sha256 === null) return null;
  return { id: row.avatar_id, sha256: row.avatar_sha256, contentType: row.avatar_content_type ?? 'image/webp', byteSize: Number(row.avatar_byte_size) };
}

/** A user's id with their avatar now (null: none). Never cached in the process: it changes, from any instance. */
export type UserAvatar = { readonly id: string; readonly avatar: AvatarRow | null };

export async function avatarsByIds(db: Sql, ids: readonly string[]): Promise<UserAvatar[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<AvatarColumns>(`SELECT ${AVATAR_SELECT} FROM users WHERE id IN (${inList(ids)})`, ids);
  return rows.map((row) => ({ id: row.id, avatar: avatarOf(row) }));
}

/** The avatar a `/files/<avatarId>/avatar` names, while it is still someone's current one. */
export async function avatarById(db: Sql, avatarId: string): Promise<(AvatarRow & { readonly userId: string }) | undefined> {
  const [row] = await db.query<AvatarColumns>(`SELECT ${AVATAR_SELECT} FROM users WHERE avatar_id = ?`, [avatarId]);
  const avatar = row ? avatarOf(row) : null;
  return row && avatar ? { ...avatar, userId: row.id } : undefined;
}

/** A user's avatar with their stream's version, in one statement (a change expects that version); null: no such user. */
export async function avatarForChange(db: Sql, userId: string): Promise<{ readonly avatar: AvatarRow | null; readonly version: number } | null> {
  const [row] = await db.query<AvatarColumns & { version: number | string | null }>(
    `SELECT ${AVATAR_SELECT}, (SELECT MAX(stream_version) FROM events WHERE stream_id = ?) AS version FROM users WHERE id = ?`,
    [streamOf.user(userId), userId],
  );
  return row ? { avatar: avatarOf(row), version: Number(row.version ?? 0) } : null;
}
