/**
 * GraphiQL's assets (its script, styles and editor workers), served by
 * Thrds from the installed @graphql-yoga/graphiql package, so GraphiQL works
 * with no internet: yoga's own page loads them from unpkg.com. Only the
 * files listed here are served, by name (no path reaches the file system
 * from the request); the package version is in their URLs, so each is cached
 * for a year and never revalidated until Thrds ships another version.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { log } from '../observability/log.ts';
import { requestIdOf } from '../observability/requestId.ts';

const packageJson = createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json');
const distDir = join(dirname(packageJson), 'dist');
const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;

/** Where the assets are served; everything under it is answered here. */
export const GRAPHIQL_ASSETS_PATH = '/graphiql/';
const prefix = `${GRAPHIQL_ASSETS_PATH}${version}/`;

const JS = 'text/javascript; charset=utf-8';
/** URL name → file in the package's dist. */
const files: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  'yoga-graphiql.umd.js': { file: 'yoga-graphiql.umd.js', type: JS },
  'graphiql.css': { file: 'graphiql.css', type: 'text/css; charset=utf-8' },
  'editor.worker.js': { file: 'monacoeditorwork/editor.worker.bundle.js', type: JS },
  'json.worker.js': { file: 'monacoeditorwork/json.worker.bundle.js', type: JS },
  // Named so in the package itself.
  'graphql.worker.js': { file: 'monacoeditorwork/graphql.worker..bundle.js', type: JS },
};

/** The URL of one of GraphiQL's assets, by its name in `files`. */
export function graphiqlAssetUrl(name: 'yoga-graphiql.umd.js' | 'graphiql.css' | 'editor.worker.js' | 'json.worker.js' | 'graphql.worker.js'): string {
  return prefix + name;
}

const CACHE_FOREVER = 'public, max-age=31536000, immutable';

/** Answers a request under GRAPHIQL_ASSETS_PATH and returns true; false, untouched, for any other path. */
export function serveGraphiqlAsset(req: IncomingMessage, res: ServerResponse): boolean {
  const pathname = (req.url ?? '').split('?')[0] ?? '';
  if (!pathname.startsWith(GRAPHIQL_ASSETS_PATH)) return false;
  const name = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : '';
  const asset = Object.hasOwn(files, name) ? files[name] : undefined;
  if (!asset) {
    plain(res, 404, 'Not found');
    return true;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    plain(res, 405, 'Method not allowed', { allow: 'GET, HEAD' });
    return true;
  }
  const path = join(distDir, asset.file);
  try {
    const { size } = statSync(path);
    const etag = `"${version}-${size.toString(16)}"`;
    const headers = {
      'content-type': asset.type,
      'cache-control': CACHE_FOREVER,
      etag,
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': String(size) });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    createReadStream(path)
      .once('error', (error) => failed(req, res, error))
      .pipe(res);
  } catch (error) {
    failed(req, res, error);
  }
  return true;
}

function failed(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  log.error({ requestId: requestIdOf(req), path: req.url, err: error }, 'GraphiQL: failed to serve an asset');
  if (res.headersSent) res.destroy();
  else plain(res, 500, 'Internal error');
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...headers }).end(text);
}
