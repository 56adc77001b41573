/**
 * Image work (decode, strip, re-encode, thumbnail) is CPU-bound and runs on
 * libvips threads: one image per core at a time, so a burst of uploads
 * cannot starve requests, and a bounded line behind them; past it an upload
 * is refused UNAVAILABLE (retry later) rather than queued without end.
 * The deadline itself is sharp's own `timeout`, set in processImage.ts.
 */
import { availableParallelism } from 'node:os';
import { UnavailableError } from '../errors.ts';

export interface ImageQueue {
  run<T>(work: () => Promise<T>): Promise<T>;
  readonly stats: { readonly running: number; readonly waiting: number };
}

export function createImageQueue(concurrency = availableParallelism(), maxWaiting = 64): ImageQueue {
  let running = 0;
  const waiting: Array<() => void> = [];
  // A finished job hands its slot straight to the next in line, or gives it back.
  const next = () => {
    const wake = waiting.shift();
    if (wake) wake();
    else running -= 1;
  };
  return {
    get stats() {
      return { running, waiting: waiting.length };
    },
    async run(work) {
      if (running >= concurrency) {
        if (waiting.length >= maxWaiting) throw new UnavailableError('Too many images are being processed: try again shortly', 'queue_full');
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running += 1;
      }
      try {
        return await work();
      } finally {
        next();
      }
    },
  };
}
