/** users: one row per registered user. */
import { evolveReadModel } from '../modules/index.ts';
import type { StoredEvent } from '../events/types.ts';
import { valuesList } from '../db/sqlFragments.ts';
import { type Projection, projection, tableName } from './projection.ts';

export interface UserRow {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly registeredAt: number;
  readonly position: number;
}

/** What a run of events does to the users table: the event modules' `users` steps fill it in. */
export class UserChanges {
  readonly registered: UserRow[] = [];

  register(row: UserRow): void {
    this.registered.push(row);
  }
}

export function evolveUsers(events: readonly StoredEvent[]): UserRow[] {
  return evolveReadModel('users', new UserChanges(), events).registered;
}

export const usersProjection: Projection = projection('users', (events, table = 'users') => {
  const rows = evolveUsers(events);
  if (rows.length === 0) return [];
  return [
    {
      sql: `INSERT INTO ${tableName(table)} (id, username, display_name, registered_at, position) VALUES ${valuesList(5, rows.length)}`,
      params: rows.flatMap((r) => [r.id, r.username, r.displayName, r.registeredAt, r.position]),
    },
  ];
});
