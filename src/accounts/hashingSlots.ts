/**
 * A small semaphore with a bounded queue, for work that is costly in memory
 * (a password hash holds 16 MiB while it runs). A flood waits in line up to
 * `maxWaiting`; beyond that it is refused at once rather than queued without
 * end, so a login storm costs at most `slots` hashes of memory and a short
 * list of promises.
 */
import { RateLimitedError } from '../errors.ts';

export class HashingSlots {
  private running = 0;
  private started = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly slots: number,
    readonly maxWaiting: number,
  ) {}

  /** Runs `work` when a slot is free; RATE_LIMITED (retry in a second) when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new RateLimitedError('Too many sign-ins under way: try again in 1 s', 1);
      }
      // The slot is handed over by the finishing task, so `running` never drops in between.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running += 1;
    this.started += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Jobs running and waiting now, and started since the process began. */
  get stats(): { running: number; waiting: number; started: number } {
    return { running: this.running, waiting: this.waiting.length, started: this.started };
  }
}
