/** The two places in the app, in the address bar: `/` and `/t/<thread id>`. */
import { useSyncExternalStore, type MouseEvent } from 'react';

export type Route = { readonly name: 'home' } | { readonly name: 'thread'; readonly threadId: string };

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => notify());

function notify() {
  for (const l of [...listeners]) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function parseRoute(pathname: string): Route {
  const match = /^\/t\/([^/]+)\/?$/.exec(pathname);
  return match?.[1] ? { name: 'thread', threadId: decodeURIComponent(match[1]) } : { name: 'home' };
}

export function threadPath(threadId: string): string {
  return `/t/${encodeURIComponent(threadId)}`;
}

export function navigate(path: string): void {
  if (location.pathname === path) return;
  history.pushState(null, '', path);
  notify();
}

/** For `<a href>` links: plain clicks stay in the app, modified clicks behave as links do. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.pathname);
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}
