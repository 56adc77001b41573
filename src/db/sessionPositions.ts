/**
 * The log position of each session's last write, so that session's next
 * query reads only where that position is applied (readRouting.ts). In
 * memory, per process, bounded: the least recently writing sessions are
 * forgotten first (a forgotten session reads the replica as it stands,
 * as an anonymous one does). A session whose queries land on another
 * instance than its writes is covered by the positions shared through Redis
 * (sharedSessionPositions.ts), when there is a Redis.
 */
export const MAX_REMEMBERED_SESSIONS = 100_000;

export class SessionPositions {
  private readonly positions = new Map<string, number>();

  constructor(private readonly limit = MAX_REMEMBERED_SESSIONS) {}

  wrote(token: string, position: number): void {
    const known = this.positions.get(token) ?? 0;
    // Re-inserted so the Map's order is the order of last writes: the oldest goes first.
    this.positions.delete(token);
    this.positions.set(token, Math.max(known, position));
    if (this.positions.size > this.limit) this.positions.delete(this.positions.keys().next().value!);
  }

  /** 0 when the session has not written (or was forgotten). */
  lastWrite(token: string): number {
    return this.positions.get(token) ?? 0;
  }

  get size(): number {
    return this.positions.size;
  }
}
