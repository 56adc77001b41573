/**
 * The active bots (Query.bots), asked once when a thread opens: `@`
 * completion offers them and the thread menu lists the ones not invited yet.
 * `refresh` asks again (the menu does when it opens, so a bot added meanwhile
 * with `thrds bot add` shows).
 */
import { useCallback, useEffect, useState } from 'react';
import { decodeUser, type User } from '../api/decode.ts';
import type { CombinedError } from '@urql/core';
import { errorMessage } from '../api/errors.ts';
import { useRetryOnReconnect } from '../api/useRetryOnReconnect.ts';
import { useThrds } from '../api/ThrdsContext.tsx';
import { BotsQuery } from './botOperations.ts';

export interface AvailableBot extends User {
  /** The card's description, for the menu's tooltip ('' when none). */
  readonly description: string;
}

export interface BotList {
  readonly bots: readonly AvailableBot[];
  /** Why the list could not be read; null when it was. */
  readonly error: string | null;
  refresh(): void;
}

export function useBotList(): BotList {
  const { client } = useThrds();
  const [bots, setBots] = useState<readonly AvailableBot[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<CombinedError | null>(null);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    let cancelled = false;
    void client
      .query(BotsQuery, {})
      .toPromise()
      .then((result) => {
        if (cancelled) return;
        setFailure(result.data ? null : (result.error ?? null));
        if (!result.data) {
          setError(result.error ? errorMessage(result.error) : 'Could not list the bots.');
          return;
        }
        setError(null);
        setBots(
          (result.data.bots ?? []).flatMap((raw) => {
            const user = decodeUser(raw);
            return user ? [{ ...user, isBot: true, description: raw?.botProfile?.description ?? '' }] : [];
          }),
        );
      });
    return () => {
      cancelled = true;
    };
  }, [client, asked]);

  const refresh = useCallback(() => setAsked((n) => n + 1), []);
  // A list that could not be read is asked for again when the connection is back (and after a backoff).
  useRetryOnReconnect(failure, refresh);
  return { bots, error, refresh };
}
