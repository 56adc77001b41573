/** The names under a reaction, as its title and its label for screen readers say them. */
import type { ReactionGroup } from '../api/operations.ts';

/** "You, Ada and 3 others": the names the server sent, the rest counted. */
export function whoReacted(group: ReactionGroup, meId: string): string {
  const me = group.reactedByMe ? ['You'] : [];
  const others = group.users.filter((u) => u.id !== meId).map((u) => u.displayName);
  const named = [...me, ...others];
  const rest = group.count - named.length;
  if (rest > 0) named.push(rest === 1 ? '1 other' : `${rest} others`);
  if (named.length <= 1) return named[0] ?? 'Nobody';
  return `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}
