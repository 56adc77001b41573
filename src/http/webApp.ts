/**
 * Serves the built web app (web/dist) from the Thrds server at `/`: files
 * with their content types, Brotli or gzip as the browser accepts (made once:
 * see compressedVariants.ts), fingerprinted assets cached for a year, source
 * maps never (the build keeps them for us, not for the public), every other
 * page path answered with index.html so the client-side routes survive
 * a reload. Run from the TypeScript sources (`npm start`), `ensureWebBuild()`
 * builds web/dist first when it is missing or older than its sources, so no
 * separate build step is needed; run compiled (`node dist/server.js`, after
 * `npm run build`) it never builds: Vite is a development dependency and
 * production serves the web app the build step made.
 */
import { createReadStream, type Stats } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../observability/log.ts';
import { requestIdOf } from '../observability/requestId.ts';
import { negotiateEncoding } from './acceptEncoding.ts';
import { createVariantStore, type Variant } from './compressedVariants.ts';

const webRoot = fileURLToPath(new URL('../../web/', import.meta.url));
export const defaultDistDir = join(webRoot, 'dist');

/** Paths that belong to the server, never to the web app. */
const serverPaths = ['/graphql', '/graphiql', '/scalars', '/healthz', '/readyz', '/metrics'];

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The page may talk only to its own origin (HTTP and WebSocket) and run only
 * its own scripts: even if message text ever reached the DOM as markup, an
 * injected script or inline handler would not run.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export interface WebHandlerOptions {
  /** Defaults to web/dist. */
  readonly distDir?: string;
}

/**
 * Returns a request handler that answers GET and HEAD for the web app and
 * returns false, without touching the response, for anything else
 * (`/graphql`, `/healthz`, other methods) so the server can route it.
 */
export function createWebHandler(options: WebHandlerOptions = {}): (req: IncomingMessage, res: ServerResponse) => boolean {
  const distDir = options.distDir ?? defaultDistDir;
  const variants = createVariantStore();
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const pathname = pathnameOf(req.url);
    if (pathname === null || serverPaths.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return false;
    serve(distDir, variants, pathname, req, res).catch((error: unknown) => {
      log.error({ requestId: requestIdOf(req), path: pathname, err: error }, 'web app: failed to serve');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      res.end('Internal error');
    });
    return true;
  };
}

function pathnameOf(url: string | undefined): string | null {
  try {
    const pathname = decodeURIComponent(new URL(url ?? '/', 'http://localhost').pathname);
    // A NUL byte names no file (fs throws on it, a 500 and a stack trace): not ours to answer.
    return pathname.includes('\0') ? null : pathname;
  } catch {
    return null; // malformed percent-encoding: not ours to answer
  }
}

type Variants = ReturnType<typeof createVariantStore>;

async function serve(distDir: string, variants: Variants, pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const file = normalize(join(distDir, pathname));
  if (file !== distDir && !file.startsWith(distDir + sep)) return notFound(res);
  // The build keeps its source maps (`sourcemap: 'hidden'`) to read a reported stack trace; they are not public.
  if (extname(file).toLowerCase() === '.map') return notFound(res);

  const found = await statFile(file);
  if (found) return sendFile(file, found, variants, req, res, cacheControlFor(distDir, file));

  // A missing file with an extension (a stale asset, a typo) is a 404, not the app shell.
  if (extname(pathname) !== '') return notFound(res);
  const index = join(distDir, 'index.html');
  const indexStat = await statFile(index);
  if (!indexStat) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5', 'x-content-type-options': 'nosniff' });
    res.end('The web app is not built yet. Run `npm run build:web`, or start the server with `npm start`.');
    return;
  }
  return sendFile(index, indexStat, variants, req, res, 'no-cache');
}

async function statFile(path: string): Promise<Stats | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw error;
  }
}

/** Vite's content hash before the extension (`index-DmQ7p0c5.js`, `…-normal--YSOl6BV.woff2`). */
const fingerprinted = /-[A-Za-z0-9_-]{8}\.[A-Za-z0-9]+$/;

/**
 * A fingerprinted file under assets/ never changes under its name: cached for
 * a year without revalidation. Everything else (index.html, a service worker,
 * robots.txt) is revalidated on every use, so a new build reaches the browser.
 */
function cacheControlFor(distDir: string, file: string): string {
  return file.startsWith(join(distDir, 'assets') + sep) && fingerprinted.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Text compresses; images, fonts (woff and woff2 are compressed already) do not. */
function compressible(type: string): boolean {
  return /^(text\/|application\/(json|manifest\+json)|image\/svg\+xml)/.test(type);
}

/** `If-None-Match: W/"a", "b"` or `*`, compared weakly (RFC 9110 §13.1.2). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

async function sendFile(file: string, stats: Stats, variants: Variants, req: IncomingMessage, res: ServerResponse, cacheControl: string): Promise<void> {
  const type = contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const canCompress = compressible(type);
  const encoding = canCompress ? negotiateEncoding(req.headers['accept-encoding']) : null;
  const variant: Variant | null = encoding ? await variants.variant(file, stats, encoding) : null;
  // Each encoding is its own representation, so its own validator: a cache must not answer a gzip client with Brotli.
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}${variant ? `-${variant.encoding}` : ''}"`;
  const headers: Record<string, string> = {
    'content-type': type,
    'cache-control': cacheControl,
    etag,
    'last-modified': stats.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (canCompress) headers['vary'] = 'Accept-Encoding';
  if (type.startsWith('text/html')) {
    headers['content-security-policy'] = contentSecurityPolicy;
    headers['x-frame-options'] = 'DENY';
  }
  if (matchesEtag(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  if (variant) headers['content-encoding'] = variant.encoding;
  headers['content-length'] = String(variant ? variant.size : stats.size);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  if (variant?.body.kind === 'buffer') {
    res.end(variant.body.buffer);
    return;
  }
  const path = variant?.body.kind === 'file' ? variant.body.path : file;
  return new Promise((resolve, reject) => {
    const stream = createReadStream(path);
    stream.once('error', (error) => {
      res.destroy(error);
      reject(error);
    });
    res.once('close', () => resolve());
    stream.pipe(res);
  });
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end('Not found');
}

let building: Promise<void> | undefined;

/** Compiled to dist/http/webApp.js by `npm run build`: production, where Vite is not installed. */
const runningCompiled = !import.meta.url.endsWith('.ts');

/**
 * Builds web/dist with Vite when it is missing or older than the web sources.
 * Safe to call from several processes at once (test workers): each builds into
 * its own directory and swaps it in by rename, so a reader never sees half a build.
 * Compiled, it builds nothing and only warns when web/dist is missing.
 */
export function ensureWebBuild(options: { readonly distDir?: string; readonly force?: boolean } = {}): Promise<void> {
  if (runningCompiled) return warnIfUnbuilt(options.distDir ?? defaultDistDir);
  building ??= buildIfNeeded(options.distDir ?? defaultDistDir, options.force ?? false).finally(() => {
    building = undefined;
  });
  return building;
}

async function warnIfUnbuilt(distDir: string): Promise<void> {
  if (await statFile(join(distDir, 'index.html'))) return;
  log.warn(`the web app is not built (${join(distDir, 'index.html')} is missing): / answers 503 until \`npm run build\` has run`);
}

async function buildIfNeeded(distDir: string, force: boolean): Promise<void> {
  const built = await statFile(join(distDir, 'index.html'));
  if (built && !force && (await newestSourceMtime()) <= built.mtimeMs) return;

  const staging = `${distDir}.building-${process.pid}-${Date.now()}`;
  await mkdir(dirname(staging), { recursive: true });
  // Vite builds for development (React's development runtime: jsxDEV, owner stacks, several times
  // slower to render) unless NODE_ENV is 'production', and test runners set it to 'test'. What is
  // served is the production build, whoever asked for it: tests and benches see what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const { build } = await import('vite');
    await build({
      configFile: join(webRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: staging, emptyOutDir: true },
    });
    await swapIn(staging, distDir);
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    await rm(staging, { recursive: true, force: true });
  }
}

async function swapIn(staging: string, distDir: string): Promise<void> {
  const retired = `${distDir}.old-${process.pid}-${Date.now()}`;
  try {
    await rename(distDir, retired);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    await rename(staging, distDir);
  } catch (error) {
    // Another process swapped its build in between our two renames: theirs is as good as ours.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  await rm(retired, { recursive: true, force: true });
}

async function newestSourceMtime(): Promise<number> {
  const roots = [join(webRoot, 'src'), join(webRoot, 'public'), join(webRoot, 'index.html'), join(webRoot, 'vite.config.ts')];
  let newest = 0;
  const visit = async (path: string): Promise<void> => {
    const s = await stat(path).catch(() => null);
    if (!s) return;
    if (s.isDirectory()) {
      for (const entry of await readdir(path)) await visit(join(path, entry));
    } else {
      newest = Math.max(newest, s.mtimeMs);
    }
  };
  for (const root of roots) await visit(root);
  return newest;
}
