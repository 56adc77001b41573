/**
 * Waiting on a condition instead of sleeping: a test that sleeps 200 ms "for
 * the event to arrive" is slow when the machine is idle and flaky when it is
 * loaded. `waitFor` polls until the condition holds (a position reached, a
 * health count, a line logged) and fails with what it was waiting for and
 * what it last saw.
 */

export interface WaitOptions {
  /** What is awaited, for the failure message: 'the subscriber to reach position 12'. */
  readonly what: string;
  /** Give up after this long. Default 10 s. */
  readonly timeoutMs?: number;
  /** Time between two checks. Default 20 ms. */
  readonly intervalMs?: number;
  /** What was seen instead, for the failure message: () => `${items.length} items`. */
  readonly seen?: () => string;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Resolves with the condition's first truthy value. A condition that throws
 * ends the wait with its error: say "not yet" by returning false (a server
 * still starting: `fetch(…).then((r) => r.ok, () => false)`), and throw for
 * what will not get better (the process exited).
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitOptions): Promise<Truthy<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 20;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as Truthy<T>;
    if (performance.now() >= deadline) throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${options.what}${seenInstead(value, options)}`);
    await pause(intervalMs);
  }
}

/** What `waitFor` throws when the condition did not hold in time. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

function seenInstead(last: unknown, options: WaitOptions): string {
  if (options.seen) return ` (seen: ${options.seen()})`;
  return last === false ? '' : ` (last check gave ${typeof last === 'string' ? JSON.stringify(last) : String(last)})`;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
