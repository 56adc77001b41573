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
    this.all.add(userId);
    this.changed(undefined);
    return new LocalConnection(this, userId);
  }

  /** `userId`'s connection opened `threadId` (its first time). */
  joined(threadId: string, userId: string | null): void {
    let counts = this.threads.get(threadId);
    if (!counts) this.threads.set(threadId, (counts = new ScopeCounts()));
    counts.add(userId);
    this.changed(threadId);
  }

  /** `userId`'s connection has `threadId` open no more. */
  left(threadId: string, userId: string | null): void {
    const counts = this.threads.get(threadId);
    if (!counts) return;
    counts.remove(userId);
    if (counts.empty) this.threads.delete(threadId);
    this.changed(threadId);
  }

  /** `userId`'s connection ended. */
  disconnected(userId: string | null): void {
    this.all.remove(userId);
    this.changed(undefined);
  }

  toPart(): InstancePart {
    return { all: this.all.toPart(), threads: Object.fromEntries([...this.threads].map(([id, counts]) => [id, counts.toPart()])) };
  }
}

/**
 * One connection, held as long as its socket: a class, not closures, and the
 * map of threads it has open made only when it has one (an idle socket holds
 * a few fields, not a map and four closures).
 */
class LocalConnection implements PresenceConnection {
  /** How many times this connection has each thread open (two threadEvents on one thread count once). */
  private opened: Map<string, number> | undefined;
  private closed = false;

  constructor(
    private readonly presence: LocalPresence,
    private readonly userId: string | null,
  ) {}

  open(threadId: string): () => void {
    if (this.closed) return () => {};
    this.opened ??= new Map();
    const times = this.opened.get(threadId) ?? 0;
    this.opened.set(threadId, times + 1);
    if (times === 0) this.presence.joined(threadId, this.userId);
    let left = false;
    return () => {
      if (left || this.closed) return;
      left = true;
      this.leave(threadId);
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const threadId of this.opened?.keys() ?? []) this.presence.left(threadId, this.userId);
    this.opened = undefined;
    this.presence.disconnected(this.userId);
  }

  private leave(threadId: string): void {
    const times = (this.opened?.get(threadId) ?? 0) - 1;
    if (times > 0) {
      this.opened?.set(threadId, times);
      return;
    }
    this.opened?.delete(threadId);
    this.presence.left(threadId, this.userId);
  }
}
