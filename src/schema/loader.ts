/**
 * Batches the by-id lookups of one tick into one query (the N+1 guard).
 * Nothing is kept once a batch has answered: a subscription's context lives
 * as long as the subscription, and a thread's row changes with every message,
 * so a long-lived cache would serve stale rows.
 */
import type { Context } from './context.ts';

export type Loader<T> = (id: string) => Promise<T | null>;

/**
 * One of something per context (a request; fan-out makes one per
 * delivery), made on first use: the per-request loaders of a field's
 * reads, without a field for each on Context.
 */
export function perContext<T>(make: (ctx: Context) => T): (ctx: Context) => T {
  const made = new WeakMap<Context, T>();
  return (ctx) => {
    let value = made.get(ctx);
    if (value === undefined) made.set(ctx, (value = make(ctx)));
    return value;
  };
}

export function createLoader<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>): Loader<T> {
  const cache = new Map<string, Promise<T | null>>();
  let queue: Array<{ id: string; resolve: (row: T | null) => void; reject: (error: unknown) => void }> = [];

  const flush = () => {
    const batch = queue;
    queue = [];
    fetch([...new Set(batch.map((w) => w.id))]).then(
      (rows) => {
        const byId = new Map(rows.map((row) => [row.id, row]));
        for (const waiting of batch) {
          cache.delete(waiting.id);
          waiting.resolve(byId.get(waiting.id) ?? null);
        }
      },
      (error: unknown) => {
        for (const waiting of batch) {
          cache.delete(waiting.id);
          waiting.reject(error);
        }
      },
    );
  };

  return (id) => {
    const cached = cache.get(id);
    if (cached) return cached;
    const promise = new Promise<T | null>((resolve, reject) => {
      if (queue.length === 0) queueMicrotask(flush);
      queue.push({ id, resolve, reject });
    });
    cache.set(id, promise);
    return promise;
  };
}
