/**
 * A pure function of a string, remembered for the most recent `limit` keys
 * (insertion order: the oldest entry goes first when full). For the small
 * computations each message row repeats every time the virtualized list
 * mounts it again: a person's avatar colours and initials, a time's labels.
 */
export function memoized<T>(compute: (key: string) => T, limit = 2_000): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    const known = cache.get(key);
    if (known !== undefined || cache.has(key)) return known as T;
    const value = compute(key);
    if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
    cache.set(key, value);
    return value;
  };
}
