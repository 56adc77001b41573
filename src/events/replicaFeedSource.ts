/**
 * The log feed's reads on a read replica. Local commits still reach the
 * feed at once from the store; only the reads that find other instances'
 * commits, and replays of older pages, go to the replica. Gap-free holds
 * because the replica applies the log in commit order and the feed keeps
 * only consecutive positions (eventStore.ts consecutiveAfter): a replica
 * behind the primary makes the feed late, never wrong. A read bounded by
 * `until` (a replay up to the feed's head) counts every position up to it
 * as scanned, so it reads the replica only when the replica is known to
 * hold `until`. While the replica is lagging or broken, the primary.
 */
import type { ReadReplica } from '../db/readReplica.ts';
import type { ReadAllOptions } from './eventStore.ts';
import type { FeedSource } from './logFeed.ts';
import type { StoredEvent } from './types.ts';

export function replicaFeedSource(primary: FeedSource, onReplica: Pick<FeedSource, 'readAll'>, replica: ReadReplica): FeedSource {
  return {
    onCommitted: (listener) => primary.onCommitted(listener),
    head: () => primary.head(),
    async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
      const replicaHasIt = replica.usable && (options.until === undefined || options.until <= replica.current.position);
      replica.count('feed', replicaHasIt);
      if (!replicaHasIt) return primary.readAll(options);
      try {
        const events = await onReplica.readAll(options);
        const last = events.at(-1)?.position;
        if (last !== undefined) replica.appliedAt(last);
        return events;
      } catch (error) {
        replica.failed(error);
        replica.count('feed', false);
        return primary.readAll(options);
      }
    },
  };
}
