/**
 * Which people in view could be taken for one another: two different
 * accounts whose display names look the same (compared after NFKC, case
 * folding and collapsing spaces, so "Ada", "ada" and "Ａｄａ" collide). Those
 * get their `@username` beside the name; everyone else keeps a clean line.
 */

export interface NamedUser {
  readonly id: string;
  readonly displayName: string;
}

/** The form two names share when a reader would not tell them apart. */
export function nameKey(displayName: string): string {
  return displayName.normalize('NFKC').toLocaleLowerCase().replace(/\s+/gu, ' ').trim();
}

/** The ids of the users whose display name another user (a different id) in `users` shares. */
export function idsWithSharedNames(users: Iterable<NamedUser>): ReadonlySet<string> {
  const byName = new Map<string, Set<string>>();
  for (const user of users) {
    const key = nameKey(user.displayName);
    const ids = byName.get(key) ?? new Set<string>();
    ids.add(user.id);
    byName.set(key, ids);
  }
  const shared = new Set<string>();
  for (const ids of byName.values()) if (ids.size > 1) for (const id of ids) shared.add(id);
  return shared;
}
