/**
 * One value handed to many watchers as the same object: each watcher is an
 * async iterator that yields the value current when it started, then each
 * published value. A watcher that reads slower than values come keeps only
 * the latest (presence and typing are states, not events: a missed step is
 * no loss), so a slow subscriber costs one reference, never a queue.
 */

export class Broadcast<T> {
  private readonly watchers = new Set<Watcher<T>>();

  /** `emptied` runs when the last watcher leaves. */
  constructor(private readonly emptied: () => void = () => {}) {}

  get size(): number {
    return this.watchers.size;
  }

  /** Hands `value` to every watcher; returns how many got it. */
  publish(value: T): number {
    for (const watcher of this.watchers) watcher.offer(value);
    return this.watchers.size;
  }

  /** A watcher that yields `current()` first, then what is published, until `return()`. */
  watch(current: () => T): AsyncIterableIterator<T> {
    const watcher = new Watcher<T>(current(), () => {
      this.watchers.delete(watcher);
      if (this.watchers.size === 0) this.emptied();
    });
    this.watchers.add(watcher);
    return watcher;
  }

  /** Ends every watcher (the service closes). */
  end(): void {
    for (const watcher of [...this.watchers]) void watcher.return();
  }
}

class Watcher<T> implements AsyncIterableIterator<T> {
  private pending: { value: T } | undefined;
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private done = false;

  constructor(
    initial: T,
    private readonly left: () => void,
  ) {
    this.pending = { value: initial };
  }

  offer(value: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
    } else this.pending = { value };
  }

  next(): Promise<IteratorResult<T>> {
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    if (this.pending) {
      const { value } = this.pending;
      this.pending = undefined;
      return Promise.resolve({ value, done: false });
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.pending = undefined;
      this.waiting?.({ value: undefined, done: true });
      this.waiting = undefined;
      this.left();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
