/**
 * The app's keyboard shortcuts, one table: which key does what, as the
 * shortcuts sheet lists them and as `shortcutFor` decides them. None fires
 * while the reader is typing in a field. Escape is listed but handled where
 * it applies (a dialog, a menu, the composer's reply), so it closes the
 * innermost thing only.
 */
import { isSearchShortcut, isTypingTarget, type KeyLike, type TargetLike } from '../search/searchShortcut.ts';

export type ShortcutAction = 'help' | 'new-thread' | 'previous-thread' | 'next-thread';

export interface ShortcutDescription {
  readonly keys: readonly string[];
  readonly does: string;
}

/** What the `?` sheet shows, in order. Search's keys are handled by the search box (search/searchShortcut.ts). */
export const shortcutList: readonly ShortcutDescription[] = [
  { keys: ['/', 'Ctrl K'], does: 'Search messages' },
  { keys: ['n'], does: 'Start a new thread' },
  { keys: ['Alt ↑'], does: 'Previous thread' },
  { keys: ['Alt ↓'], does: 'Next thread' },
  { keys: ['Esc'], does: 'Close a menu or dialog; in the composer, cancel the reply' },
  { keys: ['?'], does: 'Show these shortcuts' },
];

/** The action `event` asks for, or null (then the key is left to the page). */
export function shortcutFor(event: KeyLike, target: TargetLike | null): ShortcutAction | null {
  if (event.isComposing || isSearchShortcut(event, target)) return null;
  if (isTypingTarget(target) || event.ctrlKey || event.metaKey) return null;
  if (event.altKey) {
    if (event.shiftKey) return null;
    if (event.key === 'ArrowUp') return 'previous-thread';
    if (event.key === 'ArrowDown') return 'next-thread';
    return null;
  }
  if (event.key === '?') return 'help';
  if (event.key === 'n' && !event.shiftKey) return 'new-thread';
  return null;
}

/** The thread `step` places away from `currentId` in `ids` (clamped at the ends); the first one when none is open. */
export function neighbourThread(ids: readonly string[], currentId: string | null, step: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const at = currentId === null ? -1 : ids.indexOf(currentId);
  if (at === -1) return ids[0] ?? null;
  return ids[Math.min(ids.length - 1, Math.max(0, at + step))] ?? null;
}
