/**
 * The web app's static handler over a real HTTP socket: content types, cache
 * headers, the SPA fallback, the paths it must leave to the server, and
 * Brotli/gzip by `Accept-Encoding` (read with node:http: fetch would decode
 * the body and hide what went over the wire).
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebHandler } from '../../src/http/webApp.ts';

/** 40 KB of script: big enough to be compressed, different enough not to shrink to nothing. */
const script = Array.from({ length: 1000 }, (_, i) => `export const value${i} = ${i * 7919} % 104729;\n`).join('');
const prebuilt = Array.from({ length: 800 }, (_, i) => `.rule-${i} { color: #${(i * 4099).toString(16).padStart(6, '0').slice(0, 6)}; }\n`).join('');

interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function rawGet(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let dist: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'thrds-web-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Thrds</title><div id="root"></div>');
  writeFileSync(join(dist, 'assets', 'index-abc12345.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'index-abc12345.css'), 'body{}');
  writeFileSync(join(dist, 'assets', 'chat-Dx7_q-9Z.js'), script);
  writeFileSync(join(dist, 'assets', 'chat-Dx7_q-9Z.js.map'), '{"version":3,"sources":["../src/secret.ts"]}');
  writeFileSync(join(dist, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dist, 'assets', 'font-Ab12Cd34.woff2'), Buffer.alloc(4096, 7));
  // As the build leaves them: the file, then its Brotli copy (written after it), and no gzip copy.
  writeFileSync(join(dist, 'assets', 'styles-Q1w2E3r4.css'), prebuilt);
  writeFileSync(join(dist, 'assets', 'styles-Q1w2E3r4.css.br'), brotliCompressSync(prebuilt));
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(dist, 'assets', 'styles-Q1w2E3r4.css'), past, past);
  // A gzip copy left by an earlier build (older than the file): it must not be served.
  writeFileSync(join(dist, 'assets', 'styles-Q1w2E3r4.css.gz'), 'stale, from an earlier build');
  const earlier = new Date(Date.now() - 120_000);
  utimesSync(join(dist, 'assets', 'styles-Q1w2E3r4.css.gz'), earlier, earlier);
  writeFileSync(join(dist, 'sw.js'), script);
  writeFileSync(join(dist, 'robots.txt'), 'User-agent: *');
  writeFileSync(join(tmpdir(), 'thrds-secret.txt'), 'outside the web root');
  const web = createWebHandler({ distDir: dist });
  server = createServer((req, res) => {
    if (!web(req, res)) res.writeHead(418, { 'content-type': 'text/plain' }).end('server route');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dist, { recursive: true, force: true });
});

describe('createWebHandler', () => {
  it('serves fingerprinted assets with their content type, cached for a year', async () => {
    const js = await fetch(`${base}/assets/index-abc12345.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log(1)');
    const css = await fetch(`${base}/assets/index-abc12345.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers the app shell for client-side routes, never cached and with a strict content security policy', async () => {
    for (const path of ['/', '/t/2b1c7c0e-0000-4000-8000-000000000000', '/some/deep/route']) {
      const page = await fetch(`${base}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await page.text()).toContain('<div id="root">');
    }
  });

  it('answers 404 for a missing file rather than the app shell, and 304 for an unchanged one', async () => {
    const missing = await fetch(`${base}/assets/index-gone.js`);
    expect(missing.status).toBe(404);
    const first = await fetch(`${base}/robots.txt`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${base}/robots.txt`, { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
  });

  it('never serves a file outside the build directory', async () => {
    for (const path of ['/../thrds-secret.txt', '/%2e%2e/thrds-secret.txt', '/assets/..%2f..%2fthrds-secret.txt']) {
      const response = await fetch(`${base}${path}`);
      expect(await response.text()).not.toContain('outside the web root');
    }
  });

  it('leaves /graphql, /healthz and non-GET requests to the server', async () => {
    expect((await fetch(`${base}/graphql`)).status).toBe(418);
    expect((await fetch(`${base}/graphql?query={me{id}}`)).status).toBe(418);
    expect((await fetch(`${base}/healthz`)).status).toBe(418);
    expect((await fetch(`${base}/`, { method: 'POST', body: '{}' })).status).toBe(418);
    const head = await fetch(`${base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBeTruthy();
  });
});

describe('compression and caching of the web app', () => {
  const jsPath = '/assets/chat-Dx7_q-9Z.js';

  it('answers Brotli when the browser takes it, gzip when it takes only gzip, and both decode to the raw bytes', async () => {
    const raw = await rawGet(jsPath);
    expect(raw.body.toString()).toBe(script);

    const br = await rawGet(jsPath, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(raw.body.length / 3);
    expect(brotliDecompressSync(br.body).equals(raw.body)).toBe(true);

    for (const header of ['gzip', 'gzip, deflate', 'br;q=0, gzip', 'gzip;q=1, br;q=0.5']) {
      const gz = await rawGet(jsPath, { 'accept-encoding': header });
      expect(gz.headers['content-encoding'], header).toBe('gzip');
      expect(gunzipSync(gz.body).equals(raw.body)).toBe(true);
    }
  });

  it('sends raw bytes to a client without Accept-Encoding, or one that refuses our codings, still saying the answer varies', async () => {
    for (const headers of [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'deflate' }, { 'accept-encoding': 'br;q=0, gzip;q=0' }]) {
      const answer = await rawGet(jsPath, headers);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(answer.headers['vary']).toBe('Accept-Encoding');
      expect(answer.body.toString()).toBe(script);
    }
  });

  it('serves the Brotli copy the build wrote beside a file, and compresses at first request when there is none or it is stale', async () => {
    const br = await rawGet('/assets/styles-Q1w2E3r4.css', { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.equals(brotliCompressSync(prebuilt))).toBe(true);
    const gz = await rawGet('/assets/styles-Q1w2E3r4.css', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(prebuilt);
  });

  it('answers 304 to If-None-Match on a compressed answer, with a validator of its own per encoding', async () => {
    const br = await rawGet(jsPath, { 'accept-encoding': 'br' });
    const gz = await rawGet(jsPath, { 'accept-encoding': 'gzip' });
    const raw = await rawGet(jsPath);
    const tags = [br.headers.etag, gz.headers.etag, raw.headers.etag];
    expect(new Set(tags).size).toBe(3);

    const again = await rawGet(jsPath, { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['vary']).toBe('Accept-Encoding');
    expect(again.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const listed = await rawGet(jsPath, { 'accept-encoding': 'br', 'if-none-match': `"other", ${String(br.headers.etag)}` });
    expect(listed.status).toBe(304);
    // The Brotli validator does not match the gzip representation: that client gets the full body.
    const other = await rawGet(jsPath, { 'accept-encoding': 'gzip', 'if-none-match': String(br.headers.etag) });
    expect(other.status).toBe(200);
    expect(gunzipSync(other.body).toString()).toBe(script);
  });

  it('caches fingerprinted assets for a year, and revalidates index.html, the service worker and unfingerprinted files', async () => {
    expect((await rawGet(jsPath, { 'accept-encoding': 'br' })).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await rawGet('/assets/font-Ab12Cd34.woff2')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const path of ['/', '/index.html', '/t/some-thread', '/sw.js', '/assets/logo.svg']) {
      const answer = await rawGet(path, { 'accept-encoding': 'br' });
      expect(answer.status, path).toBe(200);
      expect(answer.headers['cache-control'], path).toBe('no-cache');
    }
    const sw = await rawGet('/sw.js', { 'accept-encoding': 'br' });
    expect(sw.headers['content-encoding']).toBe('br');
  });

  it('never compresses fonts or images, nor tiny files', async () => {
    const font = await rawGet('/assets/font-Ab12Cd34.woff2', { 'accept-encoding': 'br, gzip' });
    expect(font.headers['content-encoding']).toBeUndefined();
    expect(font.headers['vary']).toBeUndefined();
    expect(font.body.length).toBe(4096);
    const tiny = await rawGet('/assets/index-abc12345.js', { 'accept-encoding': 'br, gzip' });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body.toString()).toBe('console.log(1)');
  });

  it('answers 404 for source maps, even present in the build', async () => {
    for (const path of ['/assets/chat-Dx7_q-9Z.js.map', '/assets/CHAT-Dx7_q-9Z.JS.MAP', '/assets/missing-abcdefgh.js.map']) {
      const answer = await rawGet(path, { 'accept-encoding': 'br' });
      expect(answer.status, path).toBe(404);
      expect(answer.body.toString()).not.toContain('secret.ts');
    }
  });

  it('answers HEAD with the length of the encoding it would send', async () => {
    const get = await rawGet(jsPath, { 'accept-encoding': 'br' });
    const head = await rawGet(jsPath, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.headers['content-length']).toBe(String(get.body.length));
    expect(head.body.length).toBe(0);
  });
});
