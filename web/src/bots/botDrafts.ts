/**
 * A thread's bot drafts (issue 15) as pure functions: the reply a bot is
 * writing, delivered on `threadEvents` as BotDraft (the whole text so far,
 * never in the log), shown under the thread's messages until its message
 * arrives. A draft that says it ended stays a moment (its message is on the
 * way through the log, and the bubble it leaves would otherwise collapse and
 * grow again: a jump); a draft whose end was lost goes after a while; a draft
 * of a reply that is already in the log, or that came after its end, is stale
 * and never shown.
 */
import type { Message, User } from '../api/decode.ts';

export interface BotDraft {
  readonly bot: User;
  /** The message being answered: the reply will carry it as replyTo. */
  readonly replyToId: string;
  readonly text: string;
  /** The bot stopped writing: its message follows, or (it gave up) nothing does. */
  readonly ended: boolean;
  /** When its latest piece arrived (ms since the epoch). */
  readonly receivedAt: number;
}

export interface BotDraftsState {
  /** By draftKey, in the order they started. */
  readonly drafts: ReadonlyMap<string, BotDraft>;
  /** Drafts that ended: a piece of one arriving late is stale. */
  readonly ended: ReadonlySet<string>;
}

export type BotDraftAction =
  | { readonly type: 'draft'; readonly draft: Omit<BotDraft, 'receivedAt'>; readonly now: number }
  | { readonly type: 'expire'; readonly now: number };

/** How long an ended draft waits for its message before it goes. */
export const endedGraceMs = 2_000;
/** A draft with no new piece for this long lost its end (a dropped connection, a crashed server): it goes. */
export const staleDraftMs = 30_000;
/** Ended keys remembered; the oldest are forgotten (a late piece of one that old cannot still be coming). */
const endedKept = 200;

export const noDrafts: BotDraftsState = { drafts: new Map(), ended: new Set() };

export const draftKey = (botId: string, replyToId: string): string => `${botId}\u0000${replyToId}`;

export function botDraftsReducer(state: BotDraftsState, action: BotDraftAction): BotDraftsState {
  switch (action.type) {
    case 'draft': {
      const { draft, now } = action;
      const key = draftKey(draft.bot.id, draft.replyToId);
      if (state.ended.has(key)) return state;
      const drafts = new Map(state.drafts);
      drafts.set(key, { ...draft, receivedAt: now });
      if (!draft.ended) return { ...state, drafts };
      const ended = new Set(state.ended).add(key);
      for (const old of ended) {
        if (ended.size <= endedKept) break;
        ended.delete(old);
      }
      return { drafts, ended };
    }
    case 'expire': {
      const { now } = action;
      const kept = [...state.drafts].filter(([, d]) => now - d.receivedAt < (d.ended ? endedGraceMs : staleDraftMs));
      return kept.length === state.drafts.size ? state : { ...state, drafts: new Map(kept) };
    }
  }
}

/** The drafts to show under `messages`: those whose reply is not in the log yet. */
export function shownDrafts(state: BotDraftsState, messages: readonly Message[]): BotDraft[] {
  if (state.drafts.size === 0) return [];
  const answered = new Set<string>();
  for (const m of messages) if (m.author.isBot && m.replyTo) answered.add(draftKey(m.author.id, m.replyTo.id));
  return [...state.drafts].flatMap(([key, draft]) => (answered.has(key) ? [] : [draft]));
}
