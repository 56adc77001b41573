/**
 * A jump to a message thousands back, made fast. Full message pages are
 * bounded by the query complexity limit (about 75 messages with every field
 * a message shows), so walking back page by page costs one round trip per
 * 75 messages. Instead the jump walks back with a lean query (ids and cursors
 * only, hundreds a request) until it meets the message, then fetches the full
 * pages between it and what is loaded all at once, in parallel, each page
 * addressed by the cursor the walk found: the log stays contiguous.
 */

/** Messages per lean request (ids and cursors): well under the complexity limit. */
export const cursorPageSize = 500;
/** Messages per full page: the most the complexity limit allows with every field a message shows (about 258 each). */
export const fullPageSize = 75;
/** Messages loaded above the target, so it does not sit at the very top of what is loaded. */
export const contextAbove = 10;

/** One full page to fetch: `last` messages before the cursor `before`. */
export interface PageRequest {
  readonly last: number;
  readonly before: string;
}

/**
 * The full pages that load everything from a little above the target to the
 * oldest loaded message. `cursors` are the walked messages' cursors, oldest
 * first, ending just before the oldest loaded message (whose cursor is
 * `oldestLoaded`); `targetIndex` is the target's place among them. Newest
 * page first. `olderCursor` is what is left above once they are in (null:
 * nothing, the walk reached the start and everything is loaded).
 */
export function pagesToTarget(
  cursors: readonly string[],
  targetIndex: number,
  oldestLoaded: string,
  hasEarlier: boolean,
): { readonly pages: readonly PageRequest[]; readonly olderCursor: string | null } {
  const start = Math.max(0, targetIndex - contextAbove);
  const pages: PageRequest[] = [];
  let end = cursors.length;
  while (end > start) {
    const from = Math.max(start, end - fullPageSize);
    pages.push({ last: end - from, before: end === cursors.length ? oldestLoaded : (cursors[end] ?? oldestLoaded) });
    end = from;
  }
  return { pages, olderCursor: start > 0 || hasEarlier ? (cursors[start] ?? null) : null };
}
