/** What command handlers need from the outside world, passed in so the rules stay testable. */
import { createHash } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { ConcurrencyError } from '../errors.ts';
import { canonicalJson } from '../events/canonicalJson.ts';
import type { EventStore } from '../events/eventStore.ts';
import type { EventMetadata } from '../events/types.ts';
import type { ReadCache } from '../projections/readCache.ts';
import type { RateLimits } from '../protection/rateLimits.ts';
import type { Attachments } from '../attachments/attachments.ts';

export interface CommandDeps {
  readonly store: EventStore;
  readonly db: Database;
  readonly clock: () => number;
  readonly newId: () => string;
  readonly readCache: ReadCache;
  /** Per-user and per-address limits, checked before anything is appended. */
  readonly rateLimits: RateLimits;
  /** The file store: a deletion erases its message's files after the append (absent: the sweep does). */
  readonly attachments?: Attachments;
}

/** Who is acting and under which request. */
export interface Actor {
  readonly userId: string;
  readonly correlationId: string;
}

export function metadataFor(actor: Actor | null, correlationId: string): EventMetadata {
  return { actorId: actor?.userId ?? null, correlationId, causationId: null };
}

/**
 * Idempotency keys are scoped to the user (one user cannot collide with
 * another's key) and bound to the request they first carried.
 */
export function idempotency(actor: Actor, command: string, key: string | undefined, request: unknown): { idempotencyKey?: string; requestHash?: string } {
  if (key === undefined) return {};
  return {
    idempotencyKey: `${actor.userId}:${key}`,
    requestHash: createHash('sha256').update(canonicalJson({ command, request })).digest('hex'),
  };
}

/** A decision whose append lost a race is decided again on what won, this many times at most. */
export const DECIDE_ATTEMPTS = 5;

/**
 * Runs `decideAndAppend` (read the facts, decide, append) again while its
 * append is refused CONFLICT for a reason `retried` accepts (default: any),
 * DECIDE_ATTEMPTS times at most; every other error, and the last conflict,
 * goes to the caller.
 */
export async function decidedAgainOnConflict<T>(decideAndAppend: () => Promise<T>, retried: (conflict: ConcurrencyError) => boolean = () => true): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await decideAndAppend();
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || !retried(error) || attempt === DECIDE_ATTEMPTS) throw error;
    }
  }
}

/** A conflict on the stream's version (another write won), not on an idempotency key. */
export const isVersionConflict = (conflict: ConcurrencyError): boolean => conflict.details.actualVersion !== undefined;
