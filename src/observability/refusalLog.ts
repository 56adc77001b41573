/**
 * A request the server refused, in the log. A client's mistake (bad input,
 * not found, a conflict, a rate limit) is the client's business: one `debug`
 * line with the request id and the code. UNAVAILABLE is the operator's (the
 * database is down, the append queue is full, the server is draining), but
 * during an outage it is every request: the first is logged at `warn` with
 * its request id, the rest counted and summed up at most once a second per
 * reason, so a flood of refused requests is a few lines, not thousands.
 */
import { log } from './log.ts';

export interface Refusal {
  readonly requestId: string | undefined;
  readonly code: string;
  readonly message: string;
  /** UNAVAILABLE's reason (errors.ts UnavailableReason), when known. */
  readonly reason?: string | undefined;
}

const EVERY_MS = 1000;
const unavailable = new Map<string, { reportedAt: number; unreported: number }>();

export function logRefusal({ requestId, code, message, reason }: Refusal, clock: () => number = Date.now): void {
  const fields = { ...(requestId === undefined ? {} : { requestId }), code, ...(reason === undefined ? {} : { reason }) };
  if (code !== 'UNAVAILABLE') {
    log.debug(fields, `request refused: ${message}`);
    return;
  }
  const key = reason ?? 'unknown';
  const now = clock();
  const seen = unavailable.get(key);
  if (seen && now - seen.reportedAt < EVERY_MS) {
    seen.unreported += 1;
    log.debug(fields, `request refused: ${message}`);
    return;
  }
  const more = seen?.unreported ?? 0;
  unavailable.set(key, { reportedAt: now, unreported: 0 });
  const since = more > 0 && seen ? ` (and ${more} more in the ${((now - seen.reportedAt) / 1000).toFixed(1)} s before)` : '';
  log.warn({ ...fields, ...(more > 0 ? { refusedBefore: more } : {}) }, `request refused, ${code}: ${message}${since}`);
}
