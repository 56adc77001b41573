/**
 * Registers the app shell's service worker (src/shell/serviceWorker.js, built
 * to /sw.js) once the page has loaded, so it never competes with the first
 * paint. Not under Vite's dev server, which has no sw.js and must not be
 * cached: `import.meta.hot` exists only there (`import.meta.env.DEV` is also
 * true in a build made with NODE_ENV=test, as the test suites make). A
 * browser without service workers, or one that refuses (private modes), just
 * has no offline reload.
 */
export function registerServiceWorker(): void {
  if (import.meta.hot || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => console.warn('Thrds: no offline app shell', error));
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
