/**
 * The input limits of the public API, checked before anything is written.
 * Text first meets the text rules (textRules.ts: no lone surrogates, control
 * or bidi characters, NFC); lengths count Unicode code points after NFC and
 * trimming, and a title, body or display name must show something.
 */
import { ValidationError } from '../errors.ts';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../events/eventStore.ts';
import { LIMITS, range } from './limitValues.ts';
import { cleanText, codePoints, hasLoneSurrogate, requireVisible, type TextField } from './textRules.ts';

/** The numbers live in limitValues.ts, which the web app imports too. */
export { LIMITS, PAGE_SIZES, range } from './limitValues.ts';

/**
 * One idempotency-key limit: the store keeps a key scoped to its user
 * (`<user id>:<key>`, commandDeps.ts), so what a client may send is what is
 * left of the store's limit after a UUID and the colon. Checked at load.
 */
const USER_SCOPE_LENGTH = 36 + 1;
if (LIMITS.idempotencyKey.max + USER_SCOPE_LENGTH > MAX_IDEMPOTENCY_KEY_LENGTH) {
  throw new Error(`an idempotency key of ${LIMITS.idempotencyKey.max} would not fit the store's ${MAX_IDEMPOTENCY_KEY_LENGTH} once scoped to its user`);
}

const length = codePoints;

const USERNAME = new RegExp(`^[a-z0-9_]{${LIMITS.username.min},${LIMITS.username.max}}$`);

/** What a username looks like: 3–32 of a-z, 0-9 and _ (checked as typed, so login can tell a name no account can have). */
export function isUsername(value: string): boolean {
  return USERNAME.test(value);
}

function trimmedWithin(field: Exclude<TextField, 'username'>, value: string): string {
  const trimmed = cleanText(field, value).trim();
  const { min, max } = LIMITS[field];
  const n = length(trimmed);
  if (n < min || n > max) {
    throw new ValidationError(`${field} must be ${min}–${max} characters after trimming (got ${n})`, { field, min, max, length: n });
  }
  return requireVisible(field, trimmed);
}

export const validate = {
  title: (value: string) => trimmedWithin('title', value),
  body: (value: string) => trimmedWithin('body', value),
  displayName: (value: string) => trimmedWithin('displayName', value),
  username(value: string): string {
    const username = cleanText('username', value).trim();
    if (!isUsername(username)) {
      throw new ValidationError(`username must be ${range(LIMITS.username)} characters of a-z, 0-9 and _`, { field: 'username' });
    }
    return username;
  },
  /** A new password (sign-up, changePassword): 8–1,024 code points of well-formed text. */
  password(value: string, field = 'password'): string {
    validate.passwordLength(value, field);
    const n = length(value);
    if (n < LIMITS.password.min) {
      throw new ValidationError(`${field} must be at least ${LIMITS.password.min} characters`, { field, min: LIMITS.password.min, length: n });
    }
    // Hashing encodes UTF-8, where every lone surrogate becomes U+FFFD: two different passwords would match.
    if (hasLoneSurrogate(value)) throw new ValidationError(`${field} must not contain a lone surrogate`, { field, rule: 'loneSurrogate' });
    return value;
  },
  /**
   * Only the upper bound, checked at login too before any hashing: a
   * 300 KB password must not cost a hash. Counted in UTF-16 units first,
   * so measuring a huge string costs nothing either.
   */
  passwordLength(value: string, field = 'password'): string {
    const { max } = LIMITS.password;
    if (value.length > 2 * max || length(value) > max) {
      throw new ValidationError(`${field} must be at most ${max} characters`, { field, max });
    }
    return value;
  },
  idempotencyKey(value: string | null | undefined): string | undefined {
    if (value === null || value === undefined) return undefined;
    const n = length(value);
    if (n < LIMITS.idempotencyKey.min || n > LIMITS.idempotencyKey.max || !/^[\x21-\x7e]+$/.test(value)) {
      throw new ValidationError(`idempotencyKey must be ${range(LIMITS.idempotencyKey)} printable ASCII characters`, { field: 'idempotencyKey' });
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
