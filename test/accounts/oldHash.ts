/** A password hash as the release before issue 9 wrote it (N=2^14 r=8 p=1), to prove such hashes keep working. */
import { randomBytes, scryptSync } from 'node:crypto';

export function oldHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, 64, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', 16384, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}
