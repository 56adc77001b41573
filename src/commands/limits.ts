/**
 * The input limits of the public API, checked before anything is written.
 * Lengths count Unicode code points, after trimming.
 */
import { ValidationError } from '../errors.ts';

export const LIMITS = {
  title: { min: 1, max: 200 },
  body: { min: 1, max: 4000 },
  username: { min: 3, max: 32 },
  password: { min: 8, max: 1024 },
  displayName: { min: 1, max: 64 },
  idempotencyKey: { min: 1, max: 128 },
} as const;

function length(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

function trimmedWithin(field: keyof typeof LIMITS, value: string): string {
  const trimmed = value.trim();
  const { min, max } = LIMITS[field];
  const n = length(trimmed);
  if (n < min || n > max) {
    throw new ValidationError(`${field} must be ${min}–${max} characters after trimming (got ${n})`, { field, min, max, length: n });
  }
  return trimmed;
}

export const validate = {
  title: (value: string) => trimmedWithin('title', value),
  body: (value: string) => trimmedWithin('body', value),
  displayName: (value: string) => trimmedWithin('displayName', value),
  username(value: string): string {
    const username = value.trim();
    if (!/^[a-z0-9_]{3,32}$/.test(username)) {
      throw new ValidationError('username must be 3–32 characters of a-z, 0-9 and _', { field: 'username' });
    }
    return username;
  },
  password(value: string): string {
    const n = length(value);
    if (n < LIMITS.password.min || n > LIMITS.password.max) {
      throw new ValidationError(`password must be at least ${LIMITS.password.min} characters`, { field: 'password' });
    }
    return value;
  },
  idempotencyKey(value: string | null | undefined): string | undefined {
    if (value === null || value === undefined) return undefined;
    const n = length(value);
    if (n < LIMITS.idempotencyKey.min || n > LIMITS.idempotencyKey.max || !/^[\x21-\x7e]+$/.test(value)) {
      throw new ValidationError('idempotencyKey must be 1–128 printable ASCII characters', { field: 'idempotencyKey' });
    }
    return value;
  },
  uuid(value: string, field: string): string {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
      throw new ValidationError(`${field} is not a valid id`, { field });
    }
    return value.toLowerCase();
  },
};
