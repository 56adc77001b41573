/**
 * GraphiQL's page and assets over HTTP: the page names only assets on the
 * server's own origin, each is served with a year of immutable caching and
 * revalidates with its ETag, and nothing but the listed files is served
 * (no path reaches the file system).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer('sqlite');
});

afterAll(async () => {
  await server?.dispose();
});

/** A request whose path goes out exactly as written (fetch would resolve `..` first). */
function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.once('error', reject);
    req.end();
  });
}

async function graphiqlPage(): Promise<{ html: string; csp: string }> {
  const response = await fetch(server.url, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  return { html: await response.text(), csp: response.headers.get('content-security-policy') ?? '' };
}

/** The paths of the scripts and styles the page loads. */
function assetPaths(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((url) => !url.startsWith('data:'));
}

describe("GraphiQL's page and assets", () => {
  it('the page loads its script and styles from this server only, and its CSP allows nothing else', async () => {
    const { html, csp } = await graphiqlPage();
    const paths = assetPaths(html);
    expect(paths).toHaveLength(2);
    for (const path of paths) expect(path).toMatch(/^\/graphiql\/\d+\.\d+\.\d+\/(yoga-graphiql\.umd\.js|graphiql\.css)$/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(csp).not.toMatch(/https?:/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("worker-src 'self'");
  });

  it('serves each asset the page names, and each editor worker, with a year of immutable caching, its type, and a 304 for its ETag', async () => {
    const { html } = await graphiqlPage();
    const version = /\/graphiql\/([^/]+)\//.exec(html)![1]!;
    const expected: Array<[string, RegExp]> = [
      ['yoga-graphiql.umd.js', /^text\/javascript/],
      ['graphiql.css', /^text\/css/],
      ['editor.worker.js', /^text\/javascript/],
      ['json.worker.js', /^text\/javascript/],
      ['graphql.worker.js', /^text\/javascript/],
    ];
    for (const [name, type] of expected) {
      const url = new URL(`/graphiql/${version}/${name}`, server.url);
      const response = await fetch(url);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type'), name).toMatch(type);
      expect(response.headers.get('cache-control'), name).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('x-content-type-options'), name).toBe('nosniff');
      const body = await response.arrayBuffer();
      expect(body.byteLength, name).toBe(Number(response.headers.get('content-length')));
      expect(body.byteLength, name).toBeGreaterThan(1000);

      const etag = response.headers.get('etag')!;
      const again = await fetch(url, { headers: { 'if-none-match': etag } });
      expect(again.status, name).toBe(304);
      expect((await again.arrayBuffer()).byteLength, name).toBe(0);
    }
  });

  it('answers HEAD with the headers and no body, and any other method with 405', async () => {
    const { html } = await graphiqlPage();
    const css = assetPaths(html).find((path) => path.endsWith('.css'))!;
    const head = await raw('HEAD', css);
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(1000);
    expect(head.body).toBe('');
    const post = await raw('POST', css);
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
  });

  it('serves nothing but the listed files: other names, other versions, the package paths and every way out of the folder are 404', async () => {
    const { html } = await graphiqlPage();
    const version = /\/graphiql\/([^/]+)\//.exec(html)![1]!;
    const paths = [
      '/graphiql/',
      `/graphiql/${version}/`,
      `/graphiql/${version}/index.html`,
      `/graphiql/${version}/yoga-graphiql.es.js`,
      `/graphiql/${version}/monacoeditorwork/editor.worker.bundle.js`,
      `/graphiql/0.0.1/graphiql.css`,
      `/graphiql/${version}/../../package.json`,
      `/graphiql/${version}/..%2f..%2fpackage.json`,
      `/graphiql/${version}/%2e%2e/%2e%2e/package.json`,
      `/graphiql/${version}/constructor`,
      `/graphiql/${version}/__proto__`,
      `/graphiql/${version}/toString`,
      `/graphiql/${version}/graphiql.css%00`,
      `/graphiql/${version}/GRAPHIQL.CSS`,
    ];
    for (const path of paths) {
      const response = await raw('GET', path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).toBe('Not found');
    }
  });
});
