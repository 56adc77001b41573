/**
 * Deadlines for database work. Every operation the server starts carries an
 * absolute deadline (ms since the epoch); when it passes, the operation's
 * connection is given up and the caller gets UNAVAILABLE, so a stalled
 * database costs a client at most THRDS_DB_TIMEOUT_MS, never forever.
 */
import { UnavailableError } from '../errors.ts';

/** The deadline every server-side operation gets unless told otherwise (THRDS_DB_TIMEOUT_MS). */
export const DEFAULT_DB_TIMEOUT_MS = 5000;

/** For bulk tools (import, rebuild) whose one transaction may rightly run for minutes. */
export const BULK_TIMEOUT_MS = 60 * 60_000;

export function timedOut(what: string, timeoutMs: number): UnavailableError {
  return new UnavailableError(`The database did not answer in time (${what}, ${Math.round(timeoutMs)} ms)`, 'database_timeout');
}

/**
 * Settles with `work`, or rejects with `onTimeout()`'s error at `deadline`.
 * `abandon` runs when the deadline wins (close the connection the work is on).
 */
export function beforeDeadline<T>(work: Promise<T>, deadline: number, onTimeout: () => Error, abandon?: () => void): Promise<T> {
  const remaining = deadline - Date.now();
  if (!Number.isFinite(deadline)) return work;
  if (remaining <= 0) {
    work.catch(() => undefined);
    abandon?.();
    return Promise.reject(onTimeout());
  }
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      abandon?.();
      reject(onTimeout());
    }, remaining);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
