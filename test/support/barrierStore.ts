/** Holds appends at a barrier so that racing commands reach the store together (concurrency tests). */
import type { AppendRequest, EventStore } from '../../src/events/eventStore.ts';

/** The store, with every append held until `count` have arrived (later ones, the retries, go straight through). */
export function barrierStore(store: EventStore, count: number): EventStore {
  const waiting: Array<() => void> = [];
  let arrived = 0;
  const append = async (request: AppendRequest) => {
    arrived += 1;
    if (arrived <= count) {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === count) for (const release of waiting.splice(0)) release();
      });
    }
    return store.append(request);
  };
  return Object.assign(Object.create(store) as EventStore, { append });
}
