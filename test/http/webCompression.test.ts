/**
 * The real server over the real build of the web app (web/dist, built by
 * `ensureWebBuild` when stale): the entry script goes out as the Brotli copy
 * the build wrote, decodes to the script, names no source map, and the map
 * the build kept is not served.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDistDir } from '../../src/http/webApp.ts';
import { startWebServer, type WebServer } from '../web/support/webServer.ts';

let server: WebServer;

interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function rawGet(path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.baseUrl}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The entry script and stylesheet index.html loads, as the server sends it now. */
async function entryAssets(): Promise<{ script: string; style: string | undefined }> {
  const html = (await rawGet('/')).body.toString();
  const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  const style = /<link[^>]+href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
  if (!script) throw new Error(`no entry script in index.html: ${html}`);
  return { script, style };
}

beforeAll(async () => {
  server = await startWebServer();
}, 180_000);

afterAll(async () => {
  await server.stop();
});

describe('the web app as the server sends it', () => {
  it('sends the entry script as the Brotli copy of the build, which decodes to the script, cached for a year', async () => {
    const { script } = await entryAssets();
    const raw = await rawGet(script);
    expect(raw.status).toBe(200);
    expect(raw.headers['content-encoding']).toBeUndefined();
    const br = await rawGet(script, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toBe('Accept-Encoding');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(br.body).equals(raw.body)).toBe(true);
    // The build's own copy (level 10), not a fast one made at request time.
    expect(br.body.equals(readFileSync(join(defaultDistDir, `${script}.br`)))).toBe(true);
    expect(br.body.length).toBeLessThan(raw.body.length / 3);
    const gz = await rawGet(script, { 'accept-encoding': 'gzip' });
    expect(gunzipSync(gz.body).equals(raw.body)).toBe(true);

    const again = await rawGet(script, { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    expect(again.status).toBe(304);
  });

  it('compresses the stylesheet and the page, and revalidates the page on every load', async () => {
    const { style } = await entryAssets();
    if (style) {
      const css = await rawGet(style, { 'accept-encoding': 'br' });
      expect(css.headers['content-encoding']).toBe('br');
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    }
    const page = await rawGet('/t/00000000-0000-4000-8000-000000000000', { 'accept-encoding': 'br' });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('publishes no source map: the scripts name none, and the maps the build kept answer 404', async () => {
    const { script } = await entryAssets();
    const raw = await rawGet(script);
    expect(raw.body.toString()).not.toContain('sourceMappingURL');
    expect(raw.headers['sourcemap']).toBeUndefined();
    expect(raw.headers['x-sourcemap']).toBeUndefined();
    // Kept on disk for reading a reported stack trace ('hidden'), so the 404 is the server's doing.
    expect(existsSync(join(defaultDistDir, `${script}.map`))).toBe(true);
    const map = await rawGet(`${script}.map`, { 'accept-encoding': 'br' });
    expect(map.status).toBe(404);
  });
});
