/**
 * Drafts: what someone has written in a thread's composer and not sent yet,
 * kept per thread so switching threads or reloading does not lose it. Pure:
 * the rules for keeping, capping and reading them back.
 */

/** Threads with a draft kept; past it the least recently written goes. */
export const maxDrafts = 50;
/** Characters kept per draft: well past what the server accepts (4,000), so nothing a person is still trimming is cut. */
export const maxDraftLength = 20_000;

export interface Draft {
  readonly text: string;
  /** When it was last written (ms since the epoch): the oldest go first. */
  readonly savedAt: number;
}

export type Drafts = Readonly<Record<string, Draft>>;

/** `text` as the thread's draft; empty (or only spaces) removes it. */
export function withDraft(drafts: Drafts, threadId: string, text: string, now: number): Drafts {
  const { [threadId]: _previous, ...others } = drafts;
  if (text.trim() === '') return others;
  const kept = Object.entries(others)
    .sort(([, a], [, b]) => b.savedAt - a.savedAt)
    .slice(0, maxDrafts - 1);
  return { ...Object.fromEntries(kept), [threadId]: { text: text.slice(0, maxDraftLength), savedAt: now } };
}

export function draftOf(drafts: Drafts, threadId: string): string {
  return drafts[threadId]?.text ?? '';
}

/** Reads stored drafts back, skipping anything malformed (storage is outside the app's control). */
export function parseDrafts(raw: unknown): Drafts {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const entries = Object.entries(raw as Record<string, unknown>).flatMap(([threadId, value]): [string, Draft][] => {
    if (typeof value !== 'object' || value === null) return [];
    const { text, savedAt } = value as Record<string, unknown>;
    if (typeof text !== 'string' || text.trim() === '' || typeof savedAt !== 'number' || !Number.isFinite(savedAt)) return [];
    return [[threadId, { text: text.slice(0, maxDraftLength), savedAt }]];
  });
  return Object.fromEntries(entries.sort(([, a], [, b]) => b.savedAt - a.savedAt).slice(0, maxDrafts));
}
