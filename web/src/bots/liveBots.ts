/**
 * Bots an operator retired (`thrds bot remove`) or brought back (`thrds bot
 * add`) while the app is open: BotRemoved and BotCardChanged arrive on the
 * `events` feed the thread list follows, and every open thread's header and
 * bot menu leave a retired bot out at once, without reloading the thread.
 * Keyed by bot id; the set is replaced on each change, so a component reads
 * one unchanging value between changes.
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { User } from '../api/decode.ts';

let retired: ReadonlySet<string> = new Set();
const listeners = new Set<() => void>();

/** Records that a bot was retired (true) or is active again (false). */
export function botRetired(botId: string, isRetired: boolean): void {
  if (retired.has(botId) === isRetired) return;
  const next = new Set(retired);
  if (isRetired) next.add(botId);
  else next.delete(botId);
  retired = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const current = () => retired;

/** `bots` without the ones retired since the app started (the same array when none of them is). */
export function useActiveBots<Bot extends Pick<User, 'id'>>(bots: readonly Bot[]): readonly Bot[] {
  const gone = useSyncExternalStore(subscribe, current);
  return useMemo(() => (bots.some((bot) => gone.has(bot.id)) ? bots.filter((bot) => !gone.has(bot.id)) : bots), [bots, gone]);
}
