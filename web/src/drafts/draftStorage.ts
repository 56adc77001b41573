/** Drafts in localStorage, one map per signed-in person. */
import { draftOf, parseDrafts, withDraft, type Drafts } from './draftsState.ts';

function storageKey(userId: string): string {
  return `thrds.drafts.${userId}`;
}

function loadDrafts(userId: string): Drafts {
  try {
    return parseDrafts(JSON.parse(localStorage.getItem(storageKey(userId)) ?? '{}'));
  } catch (error) {
    // Storage blocked (private mode) or corrupt: writing still works, drafts just do not survive.
    console.warn('Thrds: cannot read drafts', error);
    return {};
  }
}

export function loadDraft(userId: string, threadId: string): string {
  return draftOf(loadDrafts(userId), threadId);
}

/** Keeps `text` as the thread's draft (read fresh, so other tabs' drafts for other threads stay); empty removes it. */
export function saveDraft(userId: string, threadId: string, text: string): void {
  try {
    const next = withDraft(loadDrafts(userId), threadId, text, Date.now());
    if (Object.keys(next).length === 0) localStorage.removeItem(storageKey(userId));
    else localStorage.setItem(storageKey(userId), JSON.stringify(next));
  } catch (error) {
    console.warn('Thrds: cannot keep the draft', error);
  }
}
