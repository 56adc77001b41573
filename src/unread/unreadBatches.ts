/**
 * Unread counts asked by many readers at once, answered together. myThreads
 * is viewer-scoped: a post seen by 1,000 viewers executes 1,000 times, each
 * asking its viewer's counts in the thread, all in the same turn of the
 * event loop. Asked one by one that was two statements per viewer (bench
 * viewerFanout: ~0.5 ms of server CPU per delivery); gathered until the
 * turn ends, they cost one read of the markers and one counting statement
 * per 100 pairs. A thread list's page is a batch too: one reader, many
 * threads. Nothing is kept once a batch has answered.
 */
import type { Sql } from '../db/database.ts';
import { pairKey } from './readMarkers.ts';
import { type Reader, type UnreadRow, unreadCounts } from './unreadQueries.ts';

interface Ask {
  readonly reader: Reader;
  readonly threadId: string;
  readonly resolve: (row: UnreadRow | null) => void;
  readonly reject: (error: unknown) => void;
}

export class UnreadBatches {
  private asks: Ask[] = [];

  constructor(private readonly db: Sql) {}

  /** The reader's counts in the thread, read with everything else asked in this turn of the event loop. */
  count(reader: Reader, threadId: string): Promise<UnreadRow | null> {
    return new Promise((resolve, reject) => {
      // setImmediate, not a microtask: the executions of one update reach here after a few awaits each.
      if (this.asks.length === 0) setImmediate(() => this.flush());
      this.asks.push({ reader, threadId, resolve, reject });
    });
  }

  private flush(): void {
    const asks = this.asks;
    this.asks = [];
    // One pair asked twice (a reader's two fields) is read once.
    const pairs = new Map(asks.map((ask) => [pairKey(ask.reader.userId, ask.threadId), ask]));
    unreadCounts(this.db, [...pairs.values()]).then(
      (rows) => {
        for (const ask of asks) ask.resolve(rows.get(pairKey(ask.reader.userId, ask.threadId)) ?? null);
      },
      (error: unknown) => {
        for (const ask of asks) ask.reject(error);
      },
    );
  }
}

const batchesByDatabase = new WeakMap<Sql, UnreadBatches>();

/** The batches of one database: every request and delivery of a process shares them. */
export function unreadBatchesOf(db: Sql): UnreadBatches {
  let batches = batchesByDatabase.get(db);
  if (!batches) batchesByDatabase.set(db, (batches = new UnreadBatches(db)));
  return batches;
}
