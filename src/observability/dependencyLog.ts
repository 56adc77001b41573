/**
 * What a dependency (Redis, the database, the log feed's reads) is going
 * through, logged as an operator wants to read it: the first failure once
 * ("redis down: …"), repeats counted and reported at most once a second
 * with their count, and the recovery once ("redis back after 412 errors,
 * 9.3 s"). Before this, a Redis outage printed 780 identical warnings in
 * 9 s and nothing when Redis came back.
 *
 * `dependencyLog(name)` is one state per name for the whole process, so
 * every part that talks to Redis (the notifier's two connections, the rate
 * limiter's) reports into the same story.
 */
import { log as rootLog, type Logger } from './log.ts';

export interface DependencyLog {
  /** One failure of the dependency. */
  failed(error: unknown): void;
  /** The dependency answered: logs its recovery if it was down. */
  ok(): void;
  /** Failed since its last success. */
  readonly down: boolean;
  /**
   * One of several connections to the same dependency (a publisher and a
   * subscriber, say): the dependency is back only once every part that
   * failed is back, so one connection recovering before another does not
   * log "back", then "down" again.
   */
  part(name: string): DependencyLog;
}

export interface DependencyLogOptions {
  readonly clock?: () => number;
  readonly logger?: Logger;
  /** At most one "still down" line per this many ms (default 1000). */
  readonly reportEveryMs?: number;
}

export function createDependencyLog(name: string, options: DependencyLogOptions = {}): DependencyLog {
  const clock = options.clock ?? Date.now;
  const logger = (options.logger ?? rootLog).child({ dependency: name });
  const reportEveryMs = options.reportEveryMs ?? 1000;
  let downSince: number | undefined;
  let errors = 0;
  let unreported = 0;
  let reportedAt = 0;

  const downParts = new Set<string>();
  const whole: DependencyLog = {
    get down() {
      return downSince !== undefined;
    },
    part(part) {
      return {
        get down() {
          return downParts.has(part);
        },
        failed(error) {
          downParts.add(part);
          whole.failed(error);
        },
        ok() {
          downParts.delete(part);
          whole.ok();
        },
        part: (inner) => whole.part(`${part}/${inner}`),
      };
    },
    failed(error) {
      const now = clock();
      if (downSince === undefined) {
        downSince = now;
        errors = 1;
        unreported = 0;
        reportedAt = now;
        // What looks like a bug rather than an outage: its stack, once.
        logger.warn({ ...codeOf(error), ...(looksLikeBug(error) ? { err: error } : {}) }, `${name} down: ${describe(error)}`);
        return;
      }
      errors += 1;
      unreported += 1;
      if (now - reportedAt < reportEveryMs) return;
      logger.warn({ errors: unreported, ...codeOf(error) }, `${name} still down: ${unreported} more ${unreported === 1 ? 'error' : 'errors'} in ${seconds(now - reportedAt)} (last: ${describe(error)})`);
      reportedAt = now;
      unreported = 0;
    },
    ok() {
      if (downSince === undefined || downParts.size > 0) return;
      const downMs = clock() - downSince;
      downSince = undefined;
      logger.info({ errors, downMs }, `${name} back after ${errors} ${errors === 1 ? 'error' : 'errors'}, ${seconds(downMs)}`);
    },
  };
  return whole;
}

const byName = new Map<string, DependencyLog>();

/** The process's log of dependency `name` ('redis', 'database', 'log feed'). */
export function dependencyLog(name: string): DependencyLog {
  let found = byName.get(name);
  if (!found) {
    found = createDependencyLog(name);
    byName.set(name, found);
  }
  return found;
}

/** A one-line reason: the message, or the inner messages of an AggregateError (a refused IPv4 and IPv6 connect). */
function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return [...new Set(error.errors.map(describe))].join('; ');
  if (error instanceof Error) return error.message || String((error as NodeJS.ErrnoException).code ?? error.name);
  return String(error);
}

/** JavaScript's own errors for broken code: the stack says where (a driver's "connection lost" has nothing to show). */
function looksLikeBug(error: unknown): boolean {
  return error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError || error instanceof SyntaxError;
}

function codeOf(error: unknown): { code?: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { code } : {};
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
