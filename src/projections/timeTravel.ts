/**
 * Time travel: a thread and its messages as they stood when the log was at
 * a given position, folded from the events of the thread's stream (never
 * from the current read model) with the same pure `evolve` functions the
 * projections use. For audits and moderation disputes.
 */
import type { EventStore } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { upcast } from '../events/upcast.ts';
import { evolveMessages, type MessageRow } from './messagesProjection.ts';
import { evolveThreads, type ThreadRow } from './threadsProjection.ts';

export interface ThreadAsOf {
  readonly thread: ThreadRow;
  /** In position order. */
  readonly messages: MessageRow[];
}

/** Null when the thread did not exist yet at `asOf` (or never did). */
export async function threadAsOf(store: Pick<EventStore, 'streamAll'>, threadId: string, asOf: number): Promise<ThreadAsOf | null> {
  const events = [];
  for await (const event of store.streamAll({ streamId: streamOf.thread(threadId), until: asOf })) events.push(upcast(event));
  const thread = evolveThreads(events).created.get(threadId);
  if (!thread) return null;
  return { thread, messages: evolveMessages(events).filter((m) => m.threadId === threadId) };
}
