/**
 * `@` completion in the composer as pure functions over the text and the
 * caret: which word is being completed, which known people match it, and the
 * text once one is picked. A mention starts at an `@` that follows nothing or
 * a space or punctuation (not a letter: a@b is an address), and its word is
 * made of what usernames are made of.
 */
import type { User } from '../api/decode.ts';

export interface ActiveMention {
  /** Index of the `@`. */
  readonly start: number;
  /** What follows the `@` up to the caret, lower-cased. */
  readonly query: string;
}

const usernameChars = /^[a-z0-9_]*$/i;
const maxUsernameLength = 32;

export function activeMention(text: string, caret: number): ActiveMention | null {
  const at = text.lastIndexOf('@', caret - 1);
  if (at < 0) return null;
  const word = text.slice(at + 1, caret);
  if (word.length > maxUsernameLength || !usernameChars.test(word)) return null;
  const before = text[at - 1];
  if (before !== undefined && /[\p{L}\p{N}_@.+-]/u.test(before)) return null;
  return { start: at, query: word.toLowerCase() };
}

/**
 * Known people matching `query`: usernames that start with it first, then
 * display names with a word that does, then usernames containing it; each
 * group alphabetical, the viewer left out, at most `limit`.
 */
export function mentionCandidates(known: readonly User[], query: string, meId: string, limit = 8): User[] {
  const q = query.toLowerCase();
  const seen = new Set<string>([meId]);
  const rank = (u: User): number => {
    const name = u.username.toLowerCase();
    if (name.startsWith(q)) return 0;
    if (u.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(q))) return 1;
    return name.includes(q) ? 2 : -1;
  };
  const ranked: { user: User; rank: number }[] = [];
  for (const user of known) {
    if (seen.has(user.id)) continue;
    seen.add(user.id);
    const r = rank(user);
    if (r >= 0) ranked.push({ user, rank: r });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.user.username.localeCompare(b.user.username));
  return ranked.slice(0, limit).map((r) => r.user);
}

/** The text with the mention at `mention.start` (up to the caret) replaced by `@username `, and where the caret goes. */
export function completeMention(text: string, mention: ActiveMention, caret: number, username: string): { text: string; caret: number } {
  const inserted = `@${username} `;
  const after = text.slice(caret).replace(/^[a-z0-9_]*/i, '').replace(/^ /, '');
  return { text: text.slice(0, mention.start) + inserted + after, caret: mention.start + inserted.length };
}
