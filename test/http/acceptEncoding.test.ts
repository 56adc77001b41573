/** Which encoding a request's Accept-Encoding takes: Brotli on a tie, raw bytes when nothing we keep is acceptable. */
import { describe, expect, it } from 'vitest';
import { negotiateEncoding } from '../../src/http/acceptEncoding.ts';

describe('negotiateEncoding', () => {
  it('prefers Brotli when the browser takes both, as every current browser does', () => {
    expect(negotiateEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(negotiateEncoding('br;q=1.0, gzip;q=1.0')).toBe('br');
    expect(negotiateEncoding('*')).toBe('br');
  });

  it('follows the weights the client gives', () => {
    expect(negotiateEncoding('gzip;q=1, br;q=0.5')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateEncoding('*;q=0.1, gzip;q=0.5')).toBe('gzip');
    expect(negotiateEncoding('x-gzip')).toBe('gzip');
    expect(negotiateEncoding('GZIP ; Q=0.8')).toBe('gzip');
  });

  it('answers raw bytes (null) without a header, for identity, for codings we do not keep, or when ours are refused', () => {
    expect(negotiateEncoding(undefined)).toBeNull();
    expect(negotiateEncoding('')).toBeNull();
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding('deflate, zstd')).toBeNull();
    expect(negotiateEncoding('br;q=0, gzip;q=0')).toBeNull();
    expect(negotiateEncoding('*;q=0')).toBeNull();
    expect(negotiateEncoding('gzip;q=abc')).toBeNull();
  });
});
