/**
 * Content negotiation for the web app's static files: which of the encodings
 * we keep (Brotli, gzip) a request's `Accept-Encoding` takes. Brotli wins a tie:
 * on the built script it is ~20 % smaller than gzip at the same cost to the
 * browser, and every browser that sends `br` decodes it.
 */

export type ContentEncoding = 'br' | 'gzip';

/** In the order we prefer them when the client weighs them equally. */
const offered: readonly ContentEncoding[] = ['br', 'gzip'];

/**
 * The encoding to answer with, or null for the identity (raw bytes): no
 * header, `identity`, `br;q=0`, or only codings we do not keep.
 */
export function negotiateEncoding(header: string | string[] | undefined): ContentEncoding | null {
  const weights = parseAcceptEncoding(Array.isArray(header) ? header.join(',') : (header ?? ''));
  let best: ContentEncoding | null = null;
  let bestQ = 0;
  for (const coding of offered) {
    const q = weights.get(coding) ?? (coding === 'gzip' ? weights.get('x-gzip') : undefined) ?? weights.get('*') ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

/** `gzip, br;q=0.8, *;q=0` → gzip 1, br 0.8, * 0 (codings lower-cased; a malformed q counts as 0). */
function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim());
    if (name === '') continue;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*(.*)$/i.exec(param);
      if (match) q = /^[0-9.]+$/.test(match[1] ?? '') && Number.isFinite(Number(match[1])) ? Math.min(1, Number(match[1])) : 0;
    }
    weights.set(name.toLowerCase(), q);
  }
  return weights;
}
