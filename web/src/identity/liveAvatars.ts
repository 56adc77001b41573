/**
 * Pictures changed while the app is open: UserAvatarChanged arrives on the
 * `events` feed the thread list follows (and the viewer's own change from
 * the dialog), and every Avatar already drawn for that person follows it,
 * without reloading the messages it sits on. Keyed by user id; a person not
 * changed since the app started reads undefined (their row's avatarUrl holds).
 */
import { useCallback, useSyncExternalStore } from 'react';

const changed = new Map<string, string | null>();
const listeners = new Set<() => void>();

/** Records a person's new picture (a path on this server), or null for none. */
export function avatarChanged(userId: string, avatarUrl: string | null): void {
  if (changed.has(userId) && changed.get(userId) === avatarUrl) return;
  changed.set(userId, avatarUrl);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The person's picture as last changed while the app was open; undefined when it has not changed. */
export function useChangedAvatar(userId: string): string | null | undefined {
  const snapshot = useCallback(() => changed.get(userId), [userId]);
  return useSyncExternalStore(subscribe, snapshot);
}
