/**
 * The reactor's limits (THRDS_BOT_*), read once at start. A bad value stops
 * the server with a message naming the variable: a typo must not silently
 * turn a limit off.
 */
import { LIMITS } from '../input/limitValues.ts';
import { DEFAULT_LLM_TIMEOUT_MS } from './llmSettings.ts';

export interface BotSettings {
  /** Replies of one bot in one thread within a minute (THRDS_BOT_REPLIES_PER_THREAD_PER_MINUTE). */
  readonly repliesPerThreadPerMinute: number;
  /** Replies to one user (by every bot) within an hour (THRDS_BOT_REPLIES_PER_USER_PER_HOUR). */
  readonly repliesPerUserPerHour: number;
  /** Least time between two replies of one bot in one thread (THRDS_BOT_COOLDOWN_MS). */
  readonly cooldownMs: number;
  /** A longer reply is cut at a word boundary (THRDS_BOT_MAX_REPLY_CHARS). */
  readonly maxReplyChars: number;
  /** The prompt's budget in estimated tokens (THRDS_BOT_CONTEXT_TOKENS). */
  readonly contextTokens: number;
  /** The deadline of one model call (THRDS_LLM_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** Model calls per trigger in all, the first included (THRDS_BOT_RETRIES). */
  readonly attempts: number;
  /** The pause before the second attempt; doubled before each later one (THRDS_BOT_RETRY_BASE_MS). */
  readonly retryBaseMs: number;
  /** How long a lease holds without renewal; a dead holder is replaced within twice this (THRDS_BOT_LEASE_MS). */
  readonly leaseMs: number;
  /** How often a holder renews its leases and others look for free ones: a third of the lease, at most 5 s. */
  readonly renewMs: number;
}

export const DEFAULT_BOT_SETTINGS: BotSettings = {
  repliesPerThreadPerMinute: 6,
  repliesPerUserPerHour: 60,
  cooldownMs: 2000,
  maxReplyChars: 2000,
  contextTokens: 3000,
  timeoutMs: DEFAULT_LLM_TIMEOUT_MS,
  attempts: 3,
  retryBaseMs: 1000,
  leaseMs: 15_000,
  renewMs: 5_000,
};

const VARIABLES = {
  repliesPerThreadPerMinute: 'THRDS_BOT_REPLIES_PER_THREAD_PER_MINUTE',
  repliesPerUserPerHour: 'THRDS_BOT_REPLIES_PER_USER_PER_HOUR',
  cooldownMs: 'THRDS_BOT_COOLDOWN_MS',
  maxReplyChars: 'THRDS_BOT_MAX_REPLY_CHARS',
  contextTokens: 'THRDS_BOT_CONTEXT_TOKENS',
  timeoutMs: 'THRDS_LLM_TIMEOUT_MS',
  attempts: 'THRDS_BOT_RETRIES',
  retryBaseMs: 'THRDS_BOT_RETRY_BASE_MS',
  leaseMs: 'THRDS_BOT_LEASE_MS',
} as const satisfies Partial<Record<keyof BotSettings, string>>;

const MIN_LEASE_MS = 1000;

/** Zero is allowed where it means "none" (no cool-down, no pause between attempts). */
const MAY_BE_ZERO: ReadonlySet<keyof BotSettings> = new Set(['cooldownMs', 'retryBaseMs']);

export function botSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): BotSettings {
  const settings: Record<string, number> = { ...DEFAULT_BOT_SETTINGS };
  for (const [key, variable] of Object.entries(VARIABLES) as Array<[keyof typeof VARIABLES, string]>) {
    const text = env[variable]?.trim();
    if (text === undefined || text === '') continue;
    const value = Number(text);
    const least = MAY_BE_ZERO.has(key) ? 0 : 1;
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < least) {
      throw new Error(`${variable} must be a ${least === 0 ? 'non-negative' : 'positive'} whole number (got ${text})`);
    }
    settings[key] = value;
  }
  // Shorter, and renewing it would be most of what an instance does for its bots.
  if (settings.leaseMs! < MIN_LEASE_MS) throw new Error(`${VARIABLES.leaseMs} must be at least ${MIN_LEASE_MS} (got ${settings.leaseMs})`);
  settings.renewMs = Math.min(DEFAULT_BOT_SETTINGS.renewMs, Math.floor(settings.leaseMs! / 3));
  // A reply is a message: past a message's own limit every long reply would be refused at the post.
  if (settings.maxReplyChars! > LIMITS.body.max) throw new Error(`${VARIABLES.maxReplyChars} must be at most ${LIMITS.body.max}, a message's limit (got ${settings.maxReplyChars})`);
  return settings as unknown as BotSettings;
}
