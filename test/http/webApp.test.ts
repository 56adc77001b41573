/**
 * The web app's static handler over a real HTTP socket: content types, cache
 * headers, the SPA fallback, and the paths it must leave to the server.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebHandler } from '../../src/http/webApp.ts';

let dist: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'thrds-web-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Thrds</title><div id="root"></div>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'index-abc123.css'), 'body{}');
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
    const js = await fetch(`${base}/assets/index-abc123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log(1)');
    const css = await fetch(`${base}/assets/index-abc123.css`);
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
