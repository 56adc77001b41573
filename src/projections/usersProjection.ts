/** users: one row per registered user. */
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

export function evolveUsers(events: readonly StoredEvent[]): UserRow[] {
  return events.flatMap((event) => {
    if (event.type !== 'UserRegistered') return [];
    const data = event.data as { userId: string; username: string; displayName: string };
    return [{ id: data.userId, username: data.username, displayName: data.displayName, registeredAt: event.recordedAt, position: event.position }];
  });
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
