/**
 * How often bots may speak, kept in this process's memory (a bot runs on
 * one instance at a time, so its counts are here; after a takeover they
 * start afresh, which can only allow a little more, never refuse wrongly).
 * Sliding windows of reply times: per bot and thread (a minute), per caller
 * (an hour, whichever bot answered), and the cool-down between two replies
 * of one bot in one thread. The clock is passed in.
 *
 * The cool-down delays rather than refuses: a bot answers one call at a
 * time, so the call right behind one it just answered would otherwise always
 * be dropped. The windows refuse.
 */
import type { BotSettings } from './botSettings.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export type LimitVerdict =
  | { readonly ok: true; /** Wait this long first (the cool-down); 0 to go at once. */ readonly waitMs: number }
  | { readonly ok: false; readonly reason: 'replies_per_thread' | 'replies_per_user' };

export interface ReplyCall {
  readonly botId: string;
  readonly threadId: string;
  readonly callerId: string;
}

type Limits = Pick<BotSettings, 'repliesPerThreadPerMinute' | 'repliesPerUserPerHour' | 'cooldownMs'>;

export class BotLimits {
  private readonly perThread = new Map<string, number[]>();
  private readonly perUser = new Map<string, number[]>();

  constructor(
    private readonly limits: Limits,
    private readonly clock: () => number,
  ) {}

  /** May `call` be answered now? Takes nothing: `record` counts a reply once it is posted. */
  check(call: ReplyCall): LimitVerdict {
    const now = this.clock();
    const thread = recent(this.perThread, threadKey(call), now - MINUTE_MS);
    if (thread.length >= this.limits.repliesPerThreadPerMinute) return { ok: false, reason: 'replies_per_thread' };
    const user = recent(this.perUser, call.callerId, now - HOUR_MS);
    if (user.length >= this.limits.repliesPerUserPerHour) return { ok: false, reason: 'replies_per_user' };
    const last = thread.at(-1);
    return { ok: true, waitMs: last === undefined ? 0 : Math.max(0, last + this.limits.cooldownMs - now) };
  }

  /** Counts a posted reply. */
  record(call: ReplyCall): void {
    const now = this.clock();
    push(this.perThread, threadKey(call), now);
    push(this.perUser, call.callerId, now);
    // Keys are forgotten when looked at with nothing recent; the ones never looked at again go here.
    if (this.perUser.size + this.perThread.size > 10_000) {
      for (const key of [...this.perThread.keys()]) recent(this.perThread, key, now - MINUTE_MS);
      for (const key of [...this.perUser.keys()]) recent(this.perUser, key, now - HOUR_MS);
    }
  }
}

const threadKey = ({ botId, threadId }: ReplyCall) => `${botId}:${threadId}`;

/** The times after `since` (older ones are forgotten, and a key with none left goes). */
function recent(windows: Map<string, number[]>, key: string, since: number): readonly number[] {
  const times = windows.get(key);
  if (!times) return [];
  const first = times.findIndex((t) => t > since);
  if (first === -1) {
    windows.delete(key);
    return [];
  }
  if (first > 0) times.splice(0, first);
  return times;
}

function push(windows: Map<string, number[]>, key: string, at: number): void {
  const times = windows.get(key);
  if (times) times.push(at);
  else windows.set(key, [at]);
}
