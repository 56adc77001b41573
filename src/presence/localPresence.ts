/**
 * This instance's live connections: who each belongs to (a user, or
 * nobody) and which threads it has open, counted per scope (the whole
 * server, each thread) as they come and go. Every change is O(1) per scope
 * it touches, so a thousand people joining and leaving cost a thousand
 * small steps; `changed` is told which scope moved (undefined: the whole
 * server) and decides when anyone hears of it.
 */
import { type ScopePart, ScopeCounts } from './presenceCounts.ts';
import type { PresenceConnection } from './presenceTypes.ts';

/** An instance's whole part, as it is shared with the others. */
export interface InstancePart {
  readonly all: ScopePart;
  readonly threads: Readonly<Record<string, ScopePart>>;
}

export class LocalPresence {
  private readonly all = new ScopeCounts();
  private readonly threads = new Map<string, ScopeCounts>();

  constructor(private readonly changed: (threadId: string | undefined) => void) {}

  /** This instance's counts for the whole server or one thread (undefined: nobody has it open here). */
  scope(threadId?: string): ScopeCounts | undefined {
    return threadId === undefined ? this.all : this.threads.get(threadId);
  }

  connect(userId: string | null): PresenceConnection {
    // How many times this connection has each thread open (two threadEvents on one thread count once).
    const open = new Map<string, number>();
    let closed = false;
    this.all.add(userId);
    this.changed(undefined);

    const leave = (threadId: string) => {
      const times = (open.get(threadId) ?? 0) - 1;
      if (times > 0) {
        open.set(threadId, times);
        return;
      }
      open.delete(threadId);
      const counts = this.threads.get(threadId);
      if (!counts) return;
      counts.remove(userId);
      if (counts.empty) this.threads.delete(threadId);
      this.changed(threadId);
    };

    return {
      open: (threadId) => {
        if (closed) return () => {};
        const times = open.get(threadId) ?? 0;
        open.set(threadId, times + 1);
        if (times === 0) {
          let counts = this.threads.get(threadId);
          if (!counts) this.threads.set(threadId, (counts = new ScopeCounts()));
          counts.add(userId);
          this.changed(threadId);
        }
        let left = false;
        return () => {
          if (left || closed) return;
          left = true;
          leave(threadId);
        };
      },
      close: () => {
        if (closed) return;
        closed = true;
        for (const threadId of [...open.keys()]) {
          open.set(threadId, 1);
          leave(threadId);
        }
        this.all.remove(userId);
        this.changed(undefined);
      },
    };
  }

  toPart(): InstancePart {
    return { all: this.all.toPart(), threads: Object.fromEntries([...this.threads].map(([id, counts]) => [id, counts.toPart()])) };
  }
}
