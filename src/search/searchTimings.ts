/**
 * How long searches take, for /metrics (thrds_search_duration_seconds). The
 * schema reports each search here; every app's metrics registry listens
 * while it lives (several apps share a process in tests: each counts all).
 */
export type SearchOutcome = 'ok' | 'refused' | 'failed';
type Listener = (seconds: number, outcome: SearchOutcome, store: string) => void;

const listeners = new Set<Listener>();

export function onSearch(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function searched(seconds: number, outcome: SearchOutcome, store: string): void {
  for (const listener of listeners) listener(seconds, outcome, store);
}
