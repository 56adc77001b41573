/**
 * The bots of one open thread: the ones invited (from the thread's snapshot,
 * then live from BotInvited and BotUninvited on `threadEvents`, so every
 * window sees a change), the drafts they are writing (botDrafts.ts), and
 * inviting or removing one. useThread feeds it what the feed delivers.
 */
import { useCallback, useEffect, useReducer, useState } from 'react';
import type { CombinedError } from '@urql/core';
import { decodeUser, type User } from '../api/decode.ts';
import { errorMessage } from '../api/errors.ts';
import { useThrds } from '../api/ThrdsContext.tsx';
import { botDraftsReducer, noDrafts, type BotDraft, type BotDraftsState } from './botDrafts.ts';
import { InviteBotMutation, RemoveBotMutation } from './botOperations.ts';

export interface ThreadBots {
  /** Invited and active, in the order the server lists them. */
  readonly invited: readonly User[];
  readonly drafts: BotDraftsState;
  /** The snapshot's list (the thread query). */
  loaded(bots: readonly User[]): void;
  invitedLive(bot: User): void;
  uninvitedLive(botId: string): void;
  draft(draft: Omit<BotDraft, 'receivedAt'>): void;
  /** Resolves to null once done, or to what the server said went wrong (FORBIDDEN, NOT_FOUND, …). */
  invite(botId: string): Promise<string | null>;
  remove(botId: string): Promise<string | null>;
}

/** How often drafts that ended (or went quiet) are looked at. */
const expireEveryMs = 500;

export function useThreadBots(threadId: string): ThreadBots {
  const { client } = useThrds();
  const [invited, setInvited] = useState<readonly User[]>([]);
  const [drafts, dispatch] = useReducer(botDraftsReducer, noDrafts);

  const active = drafts.drafts.size > 0;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => dispatch({ type: 'expire', now: Date.now() }), expireEveryMs);
    return () => clearInterval(timer);
  }, [active]);

  const loaded = useCallback((bots: readonly User[]) => setInvited(bots), []);
  const invitedLive = useCallback((bot: User) => setInvited((list) => (list.some((b) => b.id === bot.id) ? list : [...list, bot])), []);
  const uninvitedLive = useCallback((botId: string) => setInvited((list) => list.filter((b) => b.id !== botId)), []);
  const draft = useCallback((value: Omit<BotDraft, 'receivedAt'>) => dispatch({ type: 'draft', draft: value, now: Date.now() }), []);

  /** The thread's bots as a mutation answered them, or what went wrong. */
  const settle = useCallback((bots: readonly RawUser[] | null | undefined, error: CombinedError | undefined, fallback: string): string | null => {
    if (!bots) return error ? errorMessage(error) : fallback;
    setInvited(bots.flatMap((raw) => decodeUser(raw) ?? []));
    return null;
  }, []);
  const invite = useCallback(
    async (botId: string) => {
      const result = await client.mutation(InviteBotMutation, { input: { threadId, botId } }).toPromise();
      return settle(result.data?.inviteBot?.bots, result.error, 'Could not add the bot.');
    },
    [client, threadId, settle],
  );
  const remove = useCallback(
    async (botId: string) => {
      const result = await client.mutation(RemoveBotMutation, { input: { threadId, botId } }).toPromise();
      return settle(result.data?.removeBot?.bots, result.error, 'Could not remove the bot.');
    },
    [client, threadId, settle],
  );

  return { invited, drafts, loaded, invitedLive, uninvitedLive, draft, invite, remove };
}

type RawUser = Parameters<typeof decodeUser>[0];
