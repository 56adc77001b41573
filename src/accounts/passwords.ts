/**
 * Password hashing with scrypt from node:crypto, in a self-describing
 * format (`scrypt$N$r$p$salt$hash`), so hashes made with older parameters
 * keep verifying and are replaced at the next successful login.
 *
 * Parameters: OWASP's Password Storage Cheat Sheet lists equivalent scrypt
 * settings of the same CPU cost. N=2^17 r=8 p=1 holds 128 MiB per hash; we
 * take N=2^14 r=8 p=5, which costs the same work (p runs the 16 MiB mix five
 * times in turn) but holds 16 MiB, so the two hashes allowed at once
 * (HashingSlots below) cost 32 MiB, not 256 MiB, under a login flood.
 * Measured here (2 cores, Node 20): ~135 ms per hash, against ~45 ms for the
 * old N=2^14 p=1 and ~620 ms for N=2^17 p=1.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { HashingSlots } from './hashingSlots.ts';

export const SCRYPT = { N: 16_384, r: 8, p: 5, keyLength: 64, saltLength: 16 } as const;

/** At most two hashes at once per process, and at most 64 logins waiting for one. */
const slots = new HashingSlots(2, 64);

interface Params {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

function derive(password: string, salt: Buffer, { N, r, p }: Params, keyLength: number): Promise<Buffer> {
  // OpenSSL needs 128·r·(N+2) bytes for V plus 128·r·p for B; a little over that is allowed.
  const maxmem = 128 * r * (N + 2) + 128 * r * p + 1024 * 1024;
  return slots.run(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize('NFKC'), salt, keyLength, { N, r, p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
      }),
  );
}

/** The parameters a stored hash names, or null when they are not ones we would ever have written. */
function parse(stored: string): { params: Params; salt: Buffer; hash: Buffer } | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || rest.length > 0) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const powerOfTwo = Number.isSafeInteger(params.N) && params.N >= 1024 && params.N <= 1 << 20 && (params.N & (params.N - 1)) === 0;
  if (!powerOfTwo || !Number.isSafeInteger(params.r) || params.r < 1 || params.r > 32 || !Number.isSafeInteger(params.p) || params.p < 1 || params.p > 16) {
    return null;
  }
  return { params, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const key = await derive(password, salt, SCRYPT, SCRYPT.keyLength);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.hash.length === 0) return false;
  const actual = await derive(password, parsed.salt, parsed.params, parsed.hash.length);
  return timingSafeEqual(actual, parsed.hash);
}

/** True when `stored` was made with other parameters than today's: hash the password again. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.params.N !== SCRYPT.N || parsed.params.r !== SCRYPT.r || parsed.params.p !== SCRYPT.p;
}

/**
 * Verified against when the username is unknown, so that answering costs
 * the same hash as for a real account and timing does not reveal usernames.
 * No password derives to all zero bytes.
 */
export const DUMMY_HASH = ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, Buffer.alloc(SCRYPT.saltLength).toString('base64'), Buffer.alloc(SCRYPT.keyLength).toString('base64')].join('$');

/** How many hashes run and wait right now, and how many have started (for /healthz or metrics). */
export function hashingStats(): { running: number; waiting: number; started: number } {
  return slots.stats;
}
