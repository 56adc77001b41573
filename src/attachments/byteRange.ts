/**
 * The Range header of a GET, for a file of `size` bytes (RFC 9110 §14):
 * one range is served (206); several are answered with the whole file
 * (allowed, and no client of ours asks for more than one); one that is
 * malformed or starts past the end cannot be satisfied (416).
 */
import type { ByteRange } from './attachmentTypes.ts';

export type RangeAnswer = { readonly kind: 'whole' } | { readonly kind: 'part'; readonly range: ByteRange } | { readonly kind: 'unsatisfiable' };

export function byteRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' };
  const match = /^bytes=(.+)$/i.exec(header.trim());
  if (!match) return { kind: 'unsatisfiable' };
  const specs = match[1]!.split(',');
  if (specs.length > 1) return { kind: 'whole' };
  const spec = /^\s*(\d*)-(\d*)\s*$/.exec(specs[0]!);
  if (!spec || (spec[1] === '' && spec[2] === '')) return { kind: 'unsatisfiable' };
  if (spec[1] === '') {
    // The last n bytes.
    const suffix = Number(spec[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(spec[1]);
  const end = spec[2] === '' ? size - 1 : Math.min(Number(spec[2]), size - 1);
  if (!Number.isSafeInteger(start) || start >= size || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'part', range: { start, end } };
}
