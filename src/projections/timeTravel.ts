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
import { isKnown } from '../modules/index.ts';
import { evolveMessages, type MessageRow, patchedMessage } from './messagesProjection.ts';
import { revisionsFromEvents } from './revisionsQueries.ts';
import { evolveThreads, type ThreadRow } from './threadsProjection.ts';

export interface ThreadAsOf {
  readonly thread: ThreadRow;
  /** In position order, each with its revisions as of then. */
  readonly messages: MessageRow[];
}

export const FOLD_PAGE = 500;
export const FOLDS_AT_ONCE = 2;
export const FOLDS_WAITING = 32;

type Store = Pick<EventStore, 'readAll' | 'head'>;

/**
 * Null when the thread did not exist yet at `asOf` (or never did).
 *
 * A message deleted since is a tombstone even at a position before its
 * deletion: its text is erased from the log (or, for a message posted
 * before erasable content, was taken back all the same), and nothing else
 * may show it. Its `deletedAt` is then when it was deleted, after `asOf`:
 * found among the stream's MessageDeleted events after `asOf` (only those
 * rows are read, in the same windows as the fold, up to the head or until
 * every message the fold found is accounted for).
 */
export async function threadAsOf(store: Store, threadId: string, asOf: number): Promise<ThreadAsOf | null> {
  const release = await foldSlots(store).acquire();
  try {
    const streamId = streamOf.thread(threadId);
    const events = await readStream(store, streamId, { after: 0, until: asOf });
    const thread = evolveThreads(events).created.get(threadId);
    if (!thread) return null;
    const folded = [...evolveMessages(events).posted.values()].filter((m) => m.threadId === threadId);
    const standing = new Set(folded.filter((m) => m.deletedAt === null).map((m) => m.id));
    const deletions = standing.size === 0 ? new Map<string, number>() : await deletionsAfter(store, streamId, asOf, standing);
    for (const id of erasedPosts(events)) {
      if (standing.has(id) && !deletions.has(id)) throw new Error(`Message ${id} is erased with no MessageDeleted in ${streamId}`);
    }
    const revisions = revisionsFromEvents(events);
    const messages = folded.map((m): MessageRow => {
      const deletedAt = m.deletedAt ?? deletions.get(m.id);
      if (deletedAt !== undefined) return { ...patchedMessage(m, { body: '', deletedAt }), revisions: [] };
      return { ...m, revisions: revisions.get(m.id) ?? [] };
    });
    return { thread, messages };
  } finally {
    release();
  }
}

/** The messages whose MessagePosted among `events` reads erased. */
function erasedPosts(events: readonly StoredEvent[]): Set<string> {
  const ids = new Set<string>();
  for (const event of events) if (isKnown(event) && event.type === 'MessagePosted' && event.erased) ids.add(event.data.messageId);
  return ids;
}

/** When each of `messageIds` deleted after `asOf` was deleted, from the stream's MessageDeleted events. */
async function deletionsAfter(store: Store, streamId: string, asOf: number, messageIds: ReadonlySet<string>): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const head = (await store.head()).position;
  await readStream(store, streamId, { after: asOf, until: head }, ['MessageDeleted'], (page) => {
    for (const event of page) if (isKnown(event) && event.type === 'MessageDeleted' && messageIds.has(event.data.messageId)) found.set(event.data.messageId, event.recordedAt);
    return found.size === messageIds.size;
  });
  return found;
}

/**
 * A stream's events in (after, until], of `types` if given; `enough` may
 * stop the read after any page.
 *
 * Pages by position window as well as by count: the stream's index is
 * (stream_id, stream_version), so a query by stream and position reads and
 * sorts every event of the stream inside its position range before LIMIT
 * applies. A window keeps each read near one page (measured on SQLite: a
 * page of a 3,000-event stream without it, about 100 ms of blocked loop).
 * The window widens across stretches of the log where the thread was quiet
 * and narrows where it was busy.
 */
async function readStream(
  store: Store,
  streamId: string,
  range: { readonly after: number; readonly until: number },
  types?: readonly string[],
  enough: (page: readonly StoredEvent[]) => boolean = () => false,
): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let after = range.after;
  let span = FOLD_PAGE * 4;
  while (after < range.until) {
    const windowEnd = Math.min(range.until, after + span);
    const page = await store.readAll({ streamId, after, until: windowEnd, limit: FOLD_PAGE, ...(types ? { types } : {}) });
    for (const event of page) events.push(event);
    if (enough(page)) break;
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
