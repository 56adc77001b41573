/**
 * The outbox in localStorage, one list per signed-in person, so a reload or
 * a closed tab keeps what was not sent yet, and someone else signing in on
 * the same browser never sends it.
 */
import { parseOutbox, replaceThread, type OutboxEntry } from './outboxState.ts';

function storageKey(userId: string): string {
  return `thrds.outbox.${userId}`;
}

export function loadOutbox(userId: string): readonly OutboxEntry[] {
  try {
    return parseOutbox(JSON.parse(localStorage.getItem(storageKey(userId)) ?? '[]'));
  } catch (error) {
    // Storage blocked (private mode) or corrupt: sending still works, it just does not survive a reload.
    console.warn('Thrds: cannot read the outbox', error);
    return [];
  }
}

/** Stores one thread's unconfirmed sends (see `replaceThread`), read fresh so other threads' are kept. */
export function saveThreadOutbox(userId: string, threadId: string, current: readonly OutboxEntry[], known: ReadonlySet<string>): void {
  try {
    const next = replaceThread(loadOutbox(userId), threadId, current, known);
    if (next.length === 0) localStorage.removeItem(storageKey(userId));
    else localStorage.setItem(storageKey(userId), JSON.stringify(next));
  } catch (error) {
    console.warn('Thrds: cannot keep the outbox', error);
  }
}
