/**
 * users: one row per registered user, with their role and suspension.
 * Who a user is (`UserRow`) never changes once registered, so it may be kept
 * in memory for the life of a process (readCache.ts); their standing (role,
 * suspension) does change, and is read fresh wherever it decides something.
 * One exception: a bot's display name follows its card (BotCardChanged), so
 * a process that cached the bot before the change shows the old name until
 * it restarts (cards change by `thrds bot add`, rarely, and at server start).
 * A user's avatar changes too: it is not part of `UserRow`, and is read
 * apart (usersQueries.ts `avatarsByIds`), fresh, like their standing.
 */
import type { Statement } from '../db/database.ts';
import { valuesList } from '../db/sqlFragments.ts';
import type { StoredEvent } from '../events/types.ts';
import { evolveReadModel } from '../modules/index.ts';
// Types only from the modules: they dispatch here through index.ts, so a runtime import would be a cycle.
import type { Role } from '../modules/userRoleChanged.ts';
import { type Projection, projection, tableName } from './projection.ts';

export type { Role };

export interface UserRow {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly registeredAt: number;
  readonly position: number;
  /** Registered by a BotAdded (issue 15): it has no credentials and answers through the bots reactor. Never changes. */
  readonly isBot: boolean;
}

/** What moderation changes about a user. */
export interface UserStanding {
  readonly role: Role;
  /** Epoch ms the suspension ends (UNTIL_FURTHER_NOTICE, usersQueries.ts: no end set); null when not suspended. Past: over. */
  readonly suspendedUntil: number | null;
}

/** A user's uploaded avatar as the read model holds it (UserAvatarChanged): served at `/files/<id>/avatar`. */
export interface AvatarRow {
  /** The change that set it (a fresh UUID each time, so the URL changes with the picture). */
  readonly id: string;
  /** The stored image: the WebP thumbnail of the user's upload. */
  readonly sha256: string;
  readonly contentType: string;
  readonly byteSize: number;
}

/** What may change about a registered user: their standing, their avatar; a bot's display name too (BotCardChanged). */
export type UserPatch = Partial<UserStanding> & { readonly displayName?: string; readonly avatar?: AvatarRow | null };

/** A user's row as registered, with their standing (and an avatar set in the same run of events). */
export type RegisteredUser = UserRow & UserStanding & { readonly avatar?: AvatarRow | null };

/** What a run of events does to the users table: the event modules' `users` steps fill it in. */
export class UserChanges {
  /** Users registered by these events, with what followed folded in, in registration order. */
  readonly created = new Map<string, RegisteredUser>();
  /** Standing (and bots' display name) changes of users registered before these events. */
  readonly patched = new Map<string, UserPatch>();

  get registered(): RegisteredUser[] {
    return [...this.created.values()];
  }

  register(row: RegisteredUser): void {
    this.created.set(row.id, row);
  }

  change(userId: string, change: UserPatch): void {
    const fresh = this.created.get(userId);
    if (fresh) this.created.set(userId, { ...fresh, ...change });
    else this.patched.set(userId, { ...this.patched.get(userId), ...change });
  }
}

/** The users these events register, as the read model will hold them. */
export function evolveUsers(events: readonly StoredEvent[]): RegisteredUser[] {
  return evolveUserChanges(events).registered;
}

export function evolveUserChanges(events: readonly StoredEvent[]): UserChanges {
  return evolveReadModel('users', new UserChanges(), events);
}

const AVATAR_COLUMNS = ['avatar_id', 'avatar_sha256', 'avatar_content_type', 'avatar_byte_size'] as const;

function avatarValues(avatar: AvatarRow | null): Array<string | number | null> {
  return avatar ? [avatar.id, avatar.sha256, avatar.contentType, avatar.byteSize] : [null, null, null, null];
}

/** Each avatar column with its value, for an UPDATE. */
function zipAvatar(avatar: AvatarRow | null): Array<readonly [string, string | number | null]> {
  const values = avatarValues(avatar);
  return AVATAR_COLUMNS.map((column, i) => [column, values[i] ?? null] as const);
}

export const usersProjection: Projection = projection('users', (events, table = 'users') => {
  const { registered, patched } = evolveUserChanges(events);
  const users = tableName(table);
  const statements: Statement[] = [];
  if (registered.length > 0) {
    statements.push({
      sql: `INSERT INTO ${users} (id, username, display_name, registered_at, position, role, suspended_until, is_bot, ${AVATAR_COLUMNS.join(', ')}) VALUES ${valuesList(12, registered.length)}`,
      params: registered.flatMap((r) => [r.id, r.username, r.displayName, r.registeredAt, r.position, r.role, r.suspendedUntil, r.isBot ? 1 : 0, ...avatarValues(r.avatar ?? null)]),
    });
  }
  // Moderation is rare: one statement per user changed is plenty.
  for (const [id, change] of patched) {
    const set = [
      ...(change.role !== undefined ? [['role', change.role] as const] : []),
      ...(change.suspendedUntil !== undefined ? [['suspended_until', change.suspendedUntil] as const] : []),
      ...(change.displayName !== undefined ? [['display_name', change.displayName] as const] : []),
      ...(change.avatar !== undefined ? zipAvatar(change.avatar) : []),
    ];
    if (set.length === 0) continue;
    statements.push({ sql: `UPDATE ${users} SET ${set.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`, params: [...set.map(([, value]) => value), id] });
  }
  return statements;
});
