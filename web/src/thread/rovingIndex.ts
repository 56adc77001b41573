/**
 * Keyboard movement in the message list (one tab stop, arrow keys between
 * messages): which message becomes active for a key, counted in messages,
 * so separators and the "New" divider are stepped over.
 */

/** How many messages PageUp and PageDown move. */
export const pageStep = 10;

/** The index (among `count` messages) that `key` moves to from `current`; null for a key the list does not handle. */
export function rovingTarget(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  const from = Math.min(Math.max(current, 0), count - 1);
  switch (key) {
    case 'ArrowUp':
      return Math.max(0, from - 1);
    case 'ArrowDown':
      return Math.min(count - 1, from + 1);
    case 'PageUp':
      return Math.max(0, from - pageStep);
    case 'PageDown':
      return Math.min(count - 1, from + pageStep);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
