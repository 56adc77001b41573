/**
 * Open threads remembered for the session, so returning to one shows it at
 * once, where the reader left it, and its live feed resumes from the last
 * position it had delivered (the replay brings what happened meanwhile, once).
 * Bounded: the most recently left threads (LRU), and the newest messages of
 * each; trimming older ones keeps the log contiguous by resuming "load older"
 * from the cursor of the oldest message kept.
 */
import type { User } from '../api/operations.ts';
import type { Position } from '../api/position.ts';
import type { EntryMarker } from '../unread/newDivider.ts';
import type { MessageLog } from './messageLog.ts';
import type { ScrollAnchor } from './scrollAnchor.ts';

export interface ThreadSnapshot {
  readonly title: string;
  readonly createdBy: string | null;
  readonly locked: boolean;
  readonly bots: readonly User[];
  readonly entry: EntryMarker | null;
  readonly log: MessageLog;
  /** The cursor of each message that came in a page (the live feed brings none): where "older" may resume after a trim. */
  readonly cursors: ReadonlyMap<string, string>;
  readonly olderCursor: string | null;
  readonly latestPosition: Position | null;
  /** The newest log position the live feed had delivered (or joined at): the feed resumes after it. */
  readonly resumeFrom: Position;
  readonly anchor: ScrollAnchor | null;
}

export interface ThreadStateCache {
  /** The snapshot of a thread, now the most recently used; undefined if none. */
  get(key: string): ThreadSnapshot | undefined;
  put(key: string, snapshot: ThreadSnapshot): void;
  readonly size: number;
}

export const defaultMaxThreads = 10;
export const defaultMaxMessages = 1_000;

export function createThreadStateCache(maxThreads = defaultMaxThreads, maxMessages = defaultMaxMessages): ThreadStateCache {
  const entries = new Map<string, ThreadSnapshot>();
  return {
    get(key) {
      const found = entries.get(key);
      if (found) {
        entries.delete(key);
        entries.set(key, found);
      }
      return found;
    },
    put(key, snapshot) {
      entries.delete(key);
      entries.set(key, trimmed(snapshot, maxMessages));
      // Map keeps insertion order: the first key is the least recently used.
      for (const oldest of entries.keys()) {
        if (entries.size <= maxThreads) break;
        entries.delete(oldest);
      }
    },
    get size() {
      return entries.size;
    },
  };
}

/** At most `max` messages: the newest, from the oldest one a page brought (so its cursor continues the log); unchanged when none can be cut there. */
export function trimmed(snapshot: ThreadSnapshot, max: number): ThreadSnapshot {
  const { messages } = snapshot.log;
  if (messages.length <= max) return snapshot;
  const cut = messages.findIndex((m, i) => i >= messages.length - max && snapshot.cursors.has(m.id));
  const first = messages[cut];
  const cursor = first && snapshot.cursors.get(first.id);
  if (cut <= 0 || !first || cursor === undefined) return snapshot;
  const kept = messages.slice(cut);
  const ids = new Set(kept.map((m) => m.id));
  const revisedAt = new Map([...snapshot.log.revisedAt].filter(([id]) => ids.has(id)));
  const cursors = new Map([...snapshot.cursors].filter(([id]) => ids.has(id)));
  return { ...snapshot, log: { messages: kept, ids, revisedAt }, cursors, olderCursor: cursor };
}

/** The session's cache: one per page load, keyed by viewer and thread. */
export const threadStates = createThreadStateCache();

export const threadStateKey = (meId: string, threadId: string) => `${meId}\n${threadId}`;
