/**
 * At most one run per interval however often it is asked for: presence may
 * change hundreds of times a second while people come and go, and each
 * subscriber wants the latest value a few times a second, not every step.
 * The first request after a quiet interval runs on the next turn of the
 * event loop (a synchronous burst still makes one run); later ones wait for
 * the interval to pass since the last run.
 */

export interface Coalescer {
  /** Something changed: run soon (again at most once per interval). */
  poke(): void;
  /** No more runs; a pending one is dropped. */
  stop(): void;
}

/** Default interval: at most 4 runs a second. */
export const COALESCE_MS = 250;

export function coalesce(run: () => void, intervalMs = COALESCE_MS, clock: () => number = Date.now): Coalescer {
  let timer: NodeJS.Timeout | undefined;
  let lastRun = Number.NEGATIVE_INFINITY;
  let stopped = false;
  const fire = () => {
    timer = undefined;
    lastRun = clock();
    run();
  };
  return {
    poke() {
      if (stopped || timer) return;
      timer = setTimeout(fire, Math.max(0, lastRun + intervalMs - clock()));
      timer.unref();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
