/**
 * Time travel: a thread and its messages as they stood when the log was at
 * a given position, folded from the events of the thread's stream (never
 * from the current read model) with the same pure `evolve` functions the
 * projections use. For audits and moderation disputes.
 *
 * A fold costs as much as the thread is long, so it is read in pages
 * through the store's pool (no connection of its own, no synchronous scan
 * of a whole stream), yielding to the event loop between pages, and only
 * FOLDS_AT_ONCE run at a time per store: 150 aliases of it blocked the
 * event loop for 20 s and added 460 MB before. The rest wait in a bounded
 * queue; past it the request is refused with RATE_LIMITED.
 */
import { RateLimitedError } from '../errors.ts';
import type { EventStore } from '../events/eventStore.ts';
import { type StoredEvent, streamOf } from '../events/types.ts';
import { evolveMessages, type MessageRow } from './messagesProjection.ts';
import { evolveThreads, type ThreadRow } from './threadsProjection.ts';

export interface ThreadAsOf {
  readonly thread: ThreadRow;
  /** In position order. */
  readonly messages: MessageRow[];
}

export const FOLD_PAGE = 500;
export const FOLDS_AT_ONCE = 2;
export const FOLDS_WAITING = 32;

type Store = Pick<EventStore, 'readAll'>;

/** Null when the thread did not exist yet at `asOf` (or never did). */
export async function threadAsOf(store: Store, threadId: string, asOf: number): Promise<ThreadAsOf | null> {
  const release = await foldSlots(store).acquire();
  try {
    const events = await readStreamUntil(store, streamOf.thread(threadId), asOf);
    const thread = evolveThreads(events).created.get(threadId);
    if (!thread) return null;
    return { thread, messages: evolveMessages(events).filter((m) => m.threadId === threadId) };
  } finally {
    release();
  }
}

/**
 * Pages by position window as well as by count: the stream's index is
 * (stream_id, stream_version), so a query by stream and position reads and
 * sorts every event of the stream inside its position range before LIMIT
 * applies. A window keeps each read near one page (measured on SQLite: a
 * page of a 3,000-event stream without it, about 100 ms of blocked loop).
 * The window widens across stretches of the log where the thread was quiet
 * and narrows where it was busy.
 */
async function readStreamUntil(store: Store, streamId: string, until: number): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let after = 0;
  let span = FOLD_PAGE * 4;
  while (after < until) {
    const windowEnd = Math.min(until, after + span);
    const page = await store.readAll({ streamId, after, until: windowEnd, limit: FOLD_PAGE });
    for (const event of page) events.push(event);
    if (page.length === FOLD_PAGE) {
      after = page.at(-1)!.position;
      span = Math.max(FOLD_PAGE, Math.floor(span / 2));
    } else {
      after = windowEnd;
      if (page.length < FOLD_PAGE / 2) span = Math.min(FOLD_PAGE * 64, span * 2);
    }
    // Let /healthz and everyone else in between pages.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return events;
}

/** A counting semaphore with a bounded queue. */
class FoldSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  async acquire(): Promise<() => void> {
    if (this.running >= FOLDS_AT_ONCE) {
      if (this.waiting.length >= FOLDS_WAITING) throw new RateLimitedError('Too many time-travel reads at once; try again shortly', 1);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter.
      if (next) next();
      else this.running -= 1;
    };
  }
}

/** Per store, so every request of one server shares one set of slots. */
const slots = new WeakMap<Store, FoldSlots>();
function foldSlots(store: Store): FoldSlots {
  let found = slots.get(store);
  if (!found) slots.set(store, (found = new FoldSlots()));
  return found;
}
