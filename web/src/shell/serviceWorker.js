/*
 * The app shell's service worker (scope '/'), built into dist/sw.js by
 * web/scripts/serviceWorkerPlugin.ts, which puts this build's version and
 * shell files in `build` below. It exists so a reload while the server cannot
 * be reached shows the app (with "Offline" and the outbox), not the browser's
 * error page:
 *
 * - navigations go to the network first and fall back to the cached page;
 * - /assets/* are fingerprinted: answered from the cache, kept when fetched;
 * - /theme.js goes to the network first (it is not fingerprinted);
 * - nothing else is touched: /graphql, /files, /healthz, /readyz, /metrics,
 *   GraphiQL… always go to the network, never into a cache.
 *
 * Each build has its own cache; activating a new build deletes the others.
 */
const build = { version: 'dev', shell: [] };

const prefix = 'thrds-shell-';
const cacheName = `${prefix}${build.version}`;
const page = '/';
/** Navigations to these are the server's pages, not the app's. */
const serverPaths = ['/graphql', '/graphiql', '/scalars', '/healthz', '/readyz', '/metrics', '/files'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(cacheName)
      .then((cache) => cache.addAll([page, '/theme.js', ...build.shell]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith(prefix) && name !== cacheName).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (serverPaths.some((p) => path === p || path.startsWith(`${p}/`))) return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => fromCache(page)));
  } else if (path.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  } else if (path === '/theme.js') {
    event.respondWith(fetch(request).catch(() => fromCache(path)));
  }
});

async function fromCache(key) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(key);
  return hit ?? Response.error();
}

async function cacheFirst(request) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  // Only whole, successful answers: a 404 for a stale asset must not stick.
  if (response.ok && response.status === 200) await cache.put(request, response.clone());
  return response;
}
