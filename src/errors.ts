/**
 * The expected refusals. Each carries a stable `code` that GraphQL puts in
 * `extensions.code`; anything that is not a ThrdsError is a bug and is masked.
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

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
