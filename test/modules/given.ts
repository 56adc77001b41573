/** Builders for the event modules' given/when/then tests: recorded events and actors, small and named. */
import type { StoredEvent } from '../../src/events/types.ts';

export const ana = { userId: 'a0000000-0000-4000-8000-00000000000a', correlationId: 'req-1' };
export const bob = { userId: 'b0000000-0000-4000-8000-00000000000b', correlationId: 'req-2' };
export const threadId = 'c0000000-0000-4000-8000-00000000000c';
export const otherThreadId = 'd0000000-0000-4000-8000-00000000000d';

let position = 100;

/** An event as the log would hand it out, at the next position. */
export function recorded(type: string, data: Record<string, unknown>, options: { actorId?: string | null; schemaVersion?: number } = {}): StoredEvent {
  position += 1;
  return {
    position,
    eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    streamId: typeof data.threadId === 'string' ? `thread-${data.threadId}` : `user-${String(data.userId)}`,
    streamVersion: 1,
    type,
    schemaVersion: options.schemaVersion ?? 1,
    data,
    metadata: { actorId: options.actorId === undefined ? ana.userId : options.actorId, correlationId: 'req', causationId: null },
    recordedAt: 1_700_000_000_000 + position * 1000,
    hash: 'f'.repeat(64),
  };
}
