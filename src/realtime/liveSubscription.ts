/**
 * One subscription of one socket: a member of its group. It catches up from
 * the log on its own (sharing the group's results), then joins the group's
 * live set. It keeps only what it needs for as long as it lives: thousands
 * of these sit idle.
 */
import type { FeedSubscription } from '../events/logFeed.ts';
import type { SocketTransport } from './socketTransport.ts';
import type { Member, SubscriptionGroup } from './subscriptionGroup.ts';

/** The connection a subscription belongs to, as the subscription sees it. */
export interface Owner {
  /** Whether the socket already holds more unsent bytes than it may. */
  overBudget(): boolean;
  /** Drops the whole connection (1013): it resumes from its last position. */
  tooSlow(): void;
  readonly stats: { subscriptions: number };
}

export class LiveSubscription implements Member {
  readonly prefix: Buffer;
  last: number;
  private events: FeedSubscription | undefined;
  private stopped = false;
  /** What ends with the subscription (FeedSubscription.end): it outlives the iterator, which goes at join. */
  private readonly ended: () => void;

  constructor(
    private readonly owner: Owner,
    readonly transport: SocketTransport,
    readonly id: string,
    private readonly group: SubscriptionGroup,
    events: FeedSubscription,
  ) {
    this.prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
    this.last = events.position;
    this.events = events;
    this.ended = () => events.end();
    owner.stats.subscriptions += 1;
  }

  /** Joins the live set at once when nothing happened since it started; false when it must catch up first. */
  joinIfCaughtUp(): boolean {
    if (!this.events?.caughtUp) return false;
    this.join(this.events);
    return true;
  }

  /**
   * Replays from the log, page by page, then joins the live set. A socket
   * over its send-buffer limit stops the replay before the next page is
   * even read: the connection is dropped and resumes from its position.
   */
  async catchUp(): Promise<void> {
    const events = this.events;
    if (!events || this.stopped) return;
    this.group.startCatchUp();
    try {
      while (!this.stopped && !events.caughtUp) {
        if (this.owner.overBudget()) return this.owner.tooSlow();
        for (const event of await events.pull()) {
          if (this.stopped) return;
          const bytes = await this.group.result(event);
          if (this.stopped || !this.group.deliver(this, event.position, bytes)) return;
        }
      }
      if (!this.stopped) this.join(events);
    } finally {
      this.group.endCatchUp();
    }
  }

  onTooSlow(): void {
    this.owner.tooSlow();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.owner.stats.subscriptions -= 1;
    this.group.release(this);
    this.events?.detach();
    this.events = undefined;
    this.ended();
  }

  private join(events: FeedSubscription): void {
    this.last = events.position;
    this.events = undefined;
    events.detach();
    this.group.join(this);
  }
}
