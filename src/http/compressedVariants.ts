/**
 * The Brotli and gzip bodies of the web app's files, made once, never per
 * request. The build writes them beside each file (`index-<hash>.js.br`,
 * `.gz`, at high levels: see web/vite.config.ts); a file without them
 * (a build made some other way, a file added by hand) is compressed at its
 * first request at a fast level and kept in memory while it stays unchanged.
 *
 * Measured on the built app (1.6 MB of scripts and styles, 2 cores under load):
 * Brotli at level 11 takes 2.2 s in all (0.9 s for the main script alone, too
 * long for a first visitor to wait) and gives 301 KB; level 5 takes 50 ms and
 * gives 345 KB; gzip -9 takes 56 ms and gives 376 KB. So the build pays for a
 * high level (10: within 2.5 % of 11 for half its time), and the fallback uses 5.
 */
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { ContentEncoding } from './acceptEncoding.ts';

/** Below this, compression saves less than the headers it needs. */
export const minCompressibleBytes = 1024;

export const siblingSuffix: Readonly<Record<ContentEncoding, string>> = { br: '.br', gzip: '.gz' };

export type VariantBody = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'buffer'; readonly buffer: Buffer };

export interface Variant {
  readonly encoding: ContentEncoding;
  readonly size: number;
  readonly body: VariantBody;
}

interface Cached {
  readonly size: number;
  readonly mtimeMs: number;
  readonly buffer: Promise<Buffer | null>;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

function compress(raw: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
    : gzipAsync(raw, { level: 9 });
}

/**
 * One store per web handler: `variant(file, stats, encoding)` answers the
 * compressed body to send, or null when the raw bytes are the better answer
 * (a tiny file, or one that does not shrink).
 */
export function createVariantStore(): { variant(file: string, stats: Stats, encoding: ContentEncoding): Promise<Variant | null> } {
  const cache = new Map<string, Cached>();

  async function inMemory(file: string, stats: Stats, encoding: ContentEncoding): Promise<Buffer | null> {
    const key = `${encoding}:${file}`;
    let entry = cache.get(key);
    if (!entry || entry.size !== stats.size || entry.mtimeMs !== stats.mtimeMs) {
      const buffer = readFile(file).then(async (raw) => {
        const packed = await compress(raw, encoding);
        return packed.length < raw.length ? packed : null;
      });
      entry = { size: stats.size, mtimeMs: stats.mtimeMs, buffer };
      cache.set(key, entry);
      // A failed read is not remembered: the next request tries again.
      buffer.catch(() => {
        if (cache.get(key) === entry) cache.delete(key);
      });
    }
    return entry.buffer;
  }

  return {
    async variant(file, stats, encoding) {
      const sibling = `${file}${siblingSuffix[encoding]}`;
      const siblingStats = await stat(sibling).catch(() => null);
      // Written by the build after the file itself; an older one belongs to an earlier build.
      if (siblingStats?.isFile() && siblingStats.mtimeMs >= stats.mtimeMs) {
        return { encoding, size: siblingStats.size, body: { kind: 'file', path: sibling } };
      }
      if (stats.size < minCompressibleBytes) return null;
      const buffer = await inMemory(file, stats, encoding);
      return buffer ? { encoding, size: buffer.length, body: { kind: 'buffer', buffer } } : null;
    },
  };
}
