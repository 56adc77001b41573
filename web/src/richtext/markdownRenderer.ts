/**
 * react-markdown, remark-gfm and their parser (about 170 kB, 50 kB gzipped:
 * half again the rest of the app) are a chunk of their own, fetched as soon
 * as the app starts rather than inside its first script. Until it is in, a
 * MARKDOWN message shows its text as typed; it is usually in before the
 * first messages arrive.
 */
import { useSyncExternalStore } from 'react';
import type { MarkdownText } from './MarkdownText.tsx';

export type MarkdownRenderer = typeof MarkdownText;

let renderer: MarkdownRenderer | null = null;
let loading: Promise<void> | null = null;
const waiting = new Set<() => void>();

export function loadMarkdownRenderer(): Promise<void> {
  loading ??= import('./MarkdownText.tsx').then(
    (module) => {
      renderer = module.MarkdownText;
      for (const notify of waiting) notify();
    },
    (error: unknown) => {
      // A failed chunk load (offline, a deploy replaced the files): messages stay as typed, and the next subscriber tries again.
      loading = null;
      console.warn('Thrds: cannot load the markdown renderer', error);
    },
  );
  return loading;
}

/** The markdown renderer, or null while it loads. */
export function useMarkdownRenderer(): MarkdownRenderer | null {
  return useSyncExternalStore(subscribe, current);
}

function subscribe(notify: () => void): () => void {
  waiting.add(notify);
  void loadMarkdownRenderer();
  return () => waiting.delete(notify);
}

function current(): MarkdownRenderer | null {
  return renderer;
}
