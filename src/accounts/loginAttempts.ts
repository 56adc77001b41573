/**
 * Password guessing limits: failed password checks are counted per username
 * and per client address (login and changePassword alike), and a spent
 * limit refuses before the password is even hashed, so the right password
 * found after many wrong ones is refused too until the window passes.
 */
import { RateLimitedError } from '../errors.ts';
import type { RateLimits } from '../protection/rateLimits.ts';

export interface LoginAttempt {
  /** Null when the name cannot be an account's (nothing to count it under). */
  readonly username: string | null;
  readonly clientAddress: string;
}

/** RATE_LIMITED when either limit is spent; takes nothing. */
export async function checkLoginAllowed(limits: RateLimits, { username, clientAddress }: LoginAttempt): Promise<void> {
  if (username !== null) await limits.check('loginFailuresPerUsername', username);
  await limits.check('loginFailuresPerAddress', clientAddress);
}

/**
 * Counts a wrong password under both keys. The attempt itself is answered
 * UNAUTHENTICATED: a limit spent by this very failure (a race with another
 * attempt) shows on the next one.
 */
export async function countLoginFailure(limits: RateLimits, { username, clientAddress }: LoginAttempt): Promise<void> {
  const spentIsFine = (error: unknown) => {
    if (!(error instanceof RateLimitedError)) throw error;
  };
  await Promise.all([
    username === null ? undefined : limits.consume('loginFailuresPerUsername', username).catch(spentIsFine),
    limits.consume('loginFailuresPerAddress', clientAddress).catch(spentIsFine),
  ]);
}

/** The right password clears its username's failures (not the address's: one address may try many names). */
export async function countLoginSuccess(limits: RateLimits, { username }: LoginAttempt): Promise<void> {
  if (username !== null) await limits.reset('loginFailuresPerUsername', username);
}
