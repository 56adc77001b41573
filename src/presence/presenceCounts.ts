/**
 * Counting people and connections in one scope (the whole server, or one
 * thread): each change is O(1), and a snapshot is taken only when someone
 * asks (at most a few times a second per scope, see coalesce.ts). An
 * instance's counts travel to the others as `ScopePart`s (redisPresence.ts);
 * a snapshot is the union of the parts: people are distinct users over all
 * of them, connections their sum.
 */
import type { PresenceSnapshot } from './presenceTypes.ts';

/** One scope's counts as they travel: live connections, and connections per signed-in user. */
export interface ScopePart {
  readonly connections: number;
  readonly users: Readonly<Record<string, number>>;
}

export class ScopeCounts {
  connections = 0;
  /** Live connections per signed-in user: a user with none is not here. */
  readonly users = new Map<string, number>();

  add(userId: string | null): void {
    this.connections += 1;
    if (userId !== null) this.users.set(userId, (this.users.get(userId) ?? 0) + 1);
  }

  remove(userId: string | null): void {
    this.connections -= 1;
    if (userId === null) return;
    const left = (this.users.get(userId) ?? 1) - 1;
    if (left > 0) this.users.set(userId, left);
    else this.users.delete(userId);
  }

  get empty(): boolean {
    return this.connections === 0;
  }

  toPart(): ScopePart {
    return { connections: this.connections, users: Object.fromEntries(this.users) };
  }
}

/** Anything that holds a scope's counts: this instance's live ones, or another instance's last read. */
export type Counted = ScopeCounts | ScopePart;

function entriesOf(counted: Counted): Iterable<[string, number]> {
  return counted instanceof ScopeCounts ? counted.users : Object.entries(counted.users);
}

export const EMPTY_PRESENCE: PresenceSnapshot = Object.freeze({ people: 0, connections: 0, userIds: Object.freeze([]) });

/** The union of parts: distinct users (most connections first, then id), connections summed. */
export function snapshotOf(parts: Iterable<Counted | undefined>): PresenceSnapshot {
  let connections = 0;
  const users = new Map<string, number>();
  for (const part of parts) {
    if (!part) continue;
    connections += part.connections;
    for (const [userId, count] of entriesOf(part)) users.set(userId, (users.get(userId) ?? 0) + count);
  }
  if (connections === 0) return EMPTY_PRESENCE;
  const userIds = [...users].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0)).map(([id]) => id);
  return Object.freeze({ people: userIds.length, connections, userIds: Object.freeze(userIds) });
}

/** Whether two snapshots say the same (then nothing is sent). */
export function samePresence(a: PresenceSnapshot, b: PresenceSnapshot): boolean {
  return a.people === b.people && a.connections === b.connections && a.userIds.length === b.userIds.length && a.userIds.every((id, i) => b.userIds[i] === id);
}
