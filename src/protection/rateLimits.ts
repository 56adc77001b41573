/**
 * Rate limits: counters kept by rate-limiter-flexible, in Redis when
 * `REDIS_URL` is set (so the limits hold across instances) and in memory
 * otherwise. A spent limit is a RateLimitedError (`RATE_LIMITED`, with
 * `retryAfter` in seconds) raised before anything is written. When Redis is
 * unreachable the counters fall back to this instance's memory: limits get
 * looser for a while, never a reason to refuse honest traffic.
 */
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors.ts';
import { RATE_ENV, type RateLimitName, type RateRule } from './protectionConfig.ts';

export interface RateLimits {
  /** Takes `points` for `key`; throws RateLimitedError (taking nothing more) when the limit is spent. */
  consume(name: RateLimitName, key: string, points?: number): Promise<void>;
  /** Throws RateLimitedError when the limit is already spent; takes nothing (failed logins are counted only when they fail). */
  check(name: RateLimitName, key: string): Promise<void>;
  /** Forgets `key`'s count (a successful login clears its username's failures). */
  reset(name: RateLimitName, key: string): Promise<void>;
  /** How many refusals each limit has made since start (thrds_rate_limit_refusals_total on /metrics). */
  readonly refusals: Readonly<Record<RateLimitName, number>>;
}

/**
 * `redis.client` shares the counters between instances; `redis.namespace` keeps
 * one deployment's counters apart from another's on the same Redis (the
 * server passes the log's channel name, as the notifier does).
 */
export function createRateLimits(rules: Readonly<Record<RateLimitName, RateRule | null>>, redis?: { readonly client: Redis; readonly namespace: string }): RateLimits {
  const limiters = new Map<RateLimitName, RateLimiterAbstract>();
  for (const [name, rule] of Object.entries(rules) as Array<[RateLimitName, RateRule | null]>) {
    if (!rule) continue;
    const options = { keyPrefix: `${redis?.namespace ?? 'thrds'}:rate:${name}`, points: rule.points, duration: rule.durationSeconds };
    const memory = new RateLimiterMemory(options);
    limiters.set(name, redis ? new RateLimiterRedis({ ...options, storeClient: redis.client, rejectIfRedisNotReady: true, insuranceLimiter: memory }) : memory);
  }
  const refusals = Object.fromEntries(Object.keys(RATE_ENV).map((name) => [name, 0])) as Record<RateLimitName, number>;

  const refuse = (name: RateLimitName, res: RateLimiterRes): never => {
    refusals[name] += 1;
    throw new RateLimitedError(`Too many ${RATE_ENV[name].meaning}: try again in ${Math.ceil(res.msBeforeNext / 1000)} s`, res.msBeforeNext / 1000);
  };

  return {
    refusals,
    async consume(name, key, points = 1) {
      const limiter = limiters.get(name);
      if (!limiter) return;
      try {
        await limiter.consume(key, points);
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          // The limiter counted the refused points too: for a quota of bytes, one refused large file would use up the day.
          if (points > 1) await limiter.reward(key, points);
          refuse(name, error);
        }
        throw error;
      }
    },
    async check(name, key) {
      const limiter = limiters.get(name);
      if (!limiter) return;
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= (rules[name]?.points ?? Number.POSITIVE_INFINITY)) refuse(name, res);
    },
    async reset(name, key) {
      await limiters.get(name)?.delete(key);
    },
  };
}
