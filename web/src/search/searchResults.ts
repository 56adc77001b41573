/**
 * Search results as pure state: pages appended in the server's order (best
 * first), each message at most once even if the index changed between pages.
 */
export interface ResultPage<R> {
  readonly results: readonly R[];
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

export function appendPage<R extends { readonly message: { readonly id: string } }>(current: ResultPage<R> | null, page: ResultPage<R>): ResultPage<R> {
  if (!current) return page;
  const seen = new Set(current.results.map((r) => r.message.id));
  const fresh = page.results.filter((r) => !seen.has(r.message.id));
  return { results: [...current.results, ...fresh], endCursor: page.endCursor, hasNextPage: page.hasNextPage };
}

/** What the results panel says when it has no list to show; null when it has one. */
export function searchStatusText(state: { readonly query: string; readonly loading: boolean; readonly error: string | null; readonly count: number | null }): string | null {
  if (state.error) return state.error;
  if (state.query.trim() === '') return 'Type words to find messages. "a phrase", word*, from:username and in:thread-title narrow it down.';
  if (state.loading && state.count === null) return 'Searching…';
  if (state.count === 0) return `No messages match “${state.query.trim()}”.`;
  return null;
}
