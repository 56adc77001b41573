/**
 * A fresh key per user intent. `crypto.randomUUID` exists only in secure
 * contexts, and the app may be opened over plain http on a LAN address.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
