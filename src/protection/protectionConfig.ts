/**
 * Every limit a hostile client meets, with the defaults a real community
 * would run and the environment variable that changes each. The README's
 * "Running it in public" section lists the same table.
 */

/** `points` per `durationSeconds`; `null` turns the limit off. */
export interface RateRule {
  readonly points: number;
  readonly durationSeconds: number;
}

export const RATE_LIMIT_NAMES = [
  'loginFailuresPerUsername',
  'loginFailuresPerAddress',
  'signupsPerAddress',
  'postsPerUser',
  'threadsPerUser',
  'reactionsPerUser',
  'moderationPerUser',
  'typingPerUser',
  'markReadPerUser',
  'uploadsPerUser',
  'uploadBytesPerUser',
  'avatarChangesPerUser',
  'subscribesPerConnection',
  'searchesPerClient',
] as const;

export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

export interface ProtectionConfig {
  /** Origins allowed to use CORS with credentials and open WebSockets; `[]` means the server's own origin only. */
  readonly allowedOrigins: readonly string[];
  /** Take the client address from the last `X-Forwarded-For` hop (behind a reverse proxy). */
  readonly trustProxy: boolean;
  readonly rates: Readonly<Record<RateLimitName, RateRule | null>>;
  /** Concurrent WebSocket + SSE connections from one address, and in all (per instance). */
  readonly maxConnectionsPerAddress: number;
  readonly maxConnections: number;
  /** Live operations one WebSocket may hold. */
  readonly maxSubscriptionsPerConnection: number;
  /** Sessions end after this long unused, after this long in all, and a user keeps at most this many (oldest dropped). */
  readonly sessionIdleMs: number;
  readonly sessionMaxAgeMs: number;
  readonly sessionsPerUser: number;
}

export const RATE_ENV: Readonly<Record<RateLimitName, { readonly variable: string; readonly fallback: string; readonly meaning: string }>> = {
  loginFailuresPerUsername: { variable: 'THRDS_RATE_LOGIN_FAILURES_PER_USERNAME', fallback: '10/15m', meaning: 'failed logins for one username' },
  loginFailuresPerAddress: { variable: 'THRDS_RATE_LOGIN_FAILURES_PER_ADDRESS', fallback: '50/15m', meaning: 'failed logins from one address' },
  signupsPerAddress: { variable: 'THRDS_RATE_SIGNUPS_PER_ADDRESS', fallback: '5/1h', meaning: 'accounts created from one address' },
  postsPerUser: { variable: 'THRDS_RATE_POSTS_PER_USER', fallback: '20/10s', meaning: 'messages posted by one user' },
  threadsPerUser: { variable: 'THRDS_RATE_THREADS_PER_USER', fallback: '10/10m', meaning: 'threads created by one user' },
  reactionsPerUser: { variable: 'THRDS_RATE_REACTIONS_PER_USER', fallback: '60/10s', meaning: 'reactions added or removed by one user' },
  moderationPerUser: { variable: 'THRDS_RATE_MODERATION_PER_USER', fallback: '60/1m', meaning: 'role changes, locks and suspensions by one moderator' },
  typingPerUser: { variable: 'THRDS_RATE_TYPING_PER_USER', fallback: '30/10s', meaning: 'typing notices (setTyping) from one user' },
  markReadPerUser: { variable: 'THRDS_RATE_MARK_READ_PER_USER', fallback: '120/1m', meaning: 'read markers moved by one user' },
  uploadsPerUser: { variable: 'THRDS_RATE_UPLOADS_PER_USER', fallback: '100/1h', meaning: 'files uploaded by one user' },
  // Points are bytes; a plain number of bytes means per day (uploadQuota below).
  uploadBytesPerUser: { variable: 'THRDS_UPLOAD_QUOTA_BYTES', fallback: '209715200/1d', meaning: 'bytes uploaded by one user' },
  avatarChangesPerUser: { variable: 'THRDS_RATE_AVATAR_CHANGES_PER_USER', fallback: '20/1h', meaning: 'avatar changes (setAvatar, clearAvatar) by one user' },
  subscribesPerConnection: { variable: 'THRDS_RATE_SUBSCRIBES_PER_CONNECTION', fallback: '100/10s', meaning: 'subscribe messages on one WebSocket' },
  searchesPerClient: { variable: 'THRDS_RATE_SEARCHES_PER_CLIENT', fallback: '30/10s', meaning: 'searches by one user (or, signed out, one address)' },
};

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `"20/10s"` → 20 points per 10 seconds; `"off"` → null. */
export function parseRateRule(text: string, variable: string): RateRule | null {
  const value = text.trim().toLowerCase();
  if (value === 'off' || value === '0') return null;
  const match = /^(\d+)\s*\/\s*(\d*)\s*([smhd])$/.exec(value);
  const points = Number(match?.[1]);
  const durationSeconds = Number(match?.[2] || 1) * (UNITS[match?.[3] ?? ''] ?? Number.NaN);
  if (!match || !Number.isSafeInteger(points) || points < 1 || !Number.isSafeInteger(durationSeconds) || durationSeconds < 1) {
    throw new Error(`${variable} must look like 20/10s (points per duration in s, m, h or d) or off (got ${text})`);
  }
  return { points, durationSeconds };
}

function positiveInteger(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${variable} must be a whole number ≥ 1 (got ${raw})`);
  return value;
}

const DAY_MS = 86_400_000;

/** THRDS_UPLOAD_QUOTA_BYTES may be a plain number of bytes: per day. */
const uploadQuota = (text: string | undefined): string | undefined => (text !== undefined && /^\s*\d+\s*$/.test(text) && text.trim() !== '0' ? `${text.trim()}/1d` : text);

export function protectionFromEnv(env: NodeJS.ProcessEnv = process.env): ProtectionConfig {
  const rates = Object.fromEntries(
    Object.entries(RATE_ENV).map(([name, { variable, fallback }]) => [name, parseRateRule((name === 'uploadBytesPerUser' ? uploadQuota(env[variable]) : env[variable]) || fallback, variable)]),
  ) as Record<RateLimitName, RateRule | null>;
  return {
    allowedOrigins: (env.THRDS_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim().replace(/\/+$/, ''))
      .filter((origin) => origin !== ''),
    trustProxy: env.THRDS_TRUST_PROXY === '1' || env.THRDS_TRUST_PROXY === 'true',
    rates,
    maxConnectionsPerAddress: positiveInteger(env, 'THRDS_MAX_CONNECTIONS_PER_ADDRESS', 64),
    maxConnections: positiveInteger(env, 'THRDS_MAX_CONNECTIONS', 20_000),
    maxSubscriptionsPerConnection: positiveInteger(env, 'THRDS_MAX_SUBSCRIPTIONS_PER_CONNECTION', 200),
    sessionIdleMs: positiveInteger(env, 'THRDS_SESSION_IDLE_DAYS', 30) * DAY_MS,
    sessionMaxAgeMs: positiveInteger(env, 'THRDS_SESSION_MAX_DAYS', 90) * DAY_MS,
    sessionsPerUser: positiveInteger(env, 'THRDS_SESSIONS_PER_USER', 20),
  };
}
