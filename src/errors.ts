/**
 * The expected refusals. Each carries a stable `code` that GraphQL puts in
 * `extensions.code`; anything that is not a ThrdsError is a bug and is masked.
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED' | 'QUERY_TOO_COMPLEX' | 'UNAVAILABLE' | 'PAYLOAD_TOO_LARGE';

export class ThrdsError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** graphql-js copies an original error's `extensions` onto the GraphQLError it raises. */
  get extensions(): Readonly<Record<string, unknown>> {
    return { ...this.details, code: this.code };
  }
}

export class ValidationError extends ThrdsError {
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super('BAD_USER_INPUT', message, details);
  }
}

export class NotFoundError extends ThrdsError {
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super('NOT_FOUND', message, details);
  }
}

/** An optimistic-concurrency or uniqueness conflict: nothing was written. */
export class ConcurrencyError extends ThrdsError {
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super('CONFLICT', message, details);
  }
}

export class UnauthenticatedError extends ThrdsError {
  constructor(message = 'Sign in first: send Authorization: Bearer <token>') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends ThrdsError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

/** Too many of something in too short a time: nothing was written; try again after `retryAfter` seconds. */
export class RateLimitedError extends ThrdsError {
  constructor(message: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', message, { retryAfter: Math.max(1, Math.ceil(retryAfterSeconds)) });
  }
}

/** An operation over a depth, alias, token or cost limit, refused before any work. */
export class QueryTooComplexError extends ThrdsError {
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super('QUERY_TOO_COMPLEX', message, details);
  }
}

/**
 * The server cannot do it now, through no fault of the request: the database
 * is unreachable, stalled past the deadline, out of space or locked, the
 * append queue is full, or the server is shutting down. Nothing was
 * acknowledged; retrying (a mutation with the same `idempotencyKey`) is safe.
 */
export class UnavailableError extends ThrdsError {
  constructor(
    message: string,
    readonly reason: UnavailableReason,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super('UNAVAILABLE', message, { retryable: true, retryAfter: Math.max(1, Math.ceil(options.retryAfterSeconds ?? 1)) });
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** Why a dependency failed, for logs and metrics (never a client's business beyond the message). */
export type UnavailableReason = 'database_unreachable' | 'database_timeout' | 'database_full' | 'database_busy' | 'pool_exhausted' | 'queue_full' | 'shutting_down';

export function isUnavailable(error: unknown): error is UnavailableError {
  return error instanceof UnavailableError;
}
