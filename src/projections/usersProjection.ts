/** users: one row per registered user. */
import type { Sql } from '../db/database.ts';
import type { StoredEvent } from '../events/types.ts';
import { valuesList } from '../db/sqlFragments.ts';
import { type Projection, tableName } from './projection.ts';

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

export const usersProjection: Projection = {
  name: 'users',
  table: 'users',
  async apply(tx: Sql, events, table = 'users') {
    const rows = evolveUsers(events);
    if (rows.length === 0) return;
    await tx.execute(
      `INSERT INTO ${tableName(table)} (id, username, display_name, registered_at, position) VALUES ${valuesList(5, rows.length)}`,
      rows.flatMap((r) => [r.id, r.username, r.displayName, r.registeredAt, r.position]),
    );
  },
};
