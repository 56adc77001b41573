/**
 * The reaction picker's emoji: the ones this person used last (kept in
 * localStorage, so they follow the browser, not the account), then a fixed
 * set of common ones.
 */
export const commonEmoji: readonly string[] = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '👀'];

const storageKey = 'thrds.recentEmoji';
const keepRecent = 8;
/** A stored list that is not a short array of short strings is somebody else's data: ignore it. */
const maxEmojiLength = 32;

/** `used` first, then the others most recent first, at most `keepRecent`. */
export function rememberEmoji(recent: readonly string[], used: string): readonly string[] {
  return [used, ...recent.filter((e) => e !== used)].slice(0, keepRecent);
}

/** What the picker offers: the recent ones first, then the common ones not among them. */
export function pickerEmoji(recent: readonly string[]): readonly string[] {
  return [...new Set([...recent, ...commonEmoji])];
}

export function loadRecentEmoji(): readonly string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((e): e is string => typeof e === 'string' && e.length > 0 && e.length <= maxEmojiLength).slice(0, keepRecent);
  } catch (error) {
    // Storage blocked (private mode) or corrupt: the picker still offers the common ones.
    console.warn('Thrds: cannot read recent emoji', error);
    return [];
  }
}

export function saveRecentEmoji(recent: readonly string[]): void {
  try {
    localStorage.setItem(storageKey, JSON.stringify(recent));
  } catch (error) {
    console.warn('Thrds: cannot keep recent emoji', error);
  }
}
