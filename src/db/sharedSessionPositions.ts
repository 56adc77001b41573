/**
 * The position of each session's last write, shared by every instance of
 * the log through Redis, so a session whose next query lands on another
 * instance than its mutation (no sticky sessions behind the load balancer)
 * still reads what it wrote (readRouting.ts). The key is a hash of the
 * token, never the token; it only ever rises (two instances writing for one
 * session keep the higher) and expires a minute after the last write: by
 * then a replica has applied it or is too far behind to be read at all
 * (readReplica.ts reads none more than 30 s behind).
 *
 * Every call has a short deadline. A write Redis did not take is logged and
 * the mutation still answers (it is committed); a lookup Redis did not
 * answer says "unknown", and the query then reads the primary, which has
 * every write.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { dependencyLog } from '../observability/dependencyLog.ts';

/** How long a session's position is kept after its last write. */
export const SHARED_POSITION_TTL_MS = 60_000;
/** How long one Redis call may take before the answer is "unknown". */
export const SHARED_POSITION_DEADLINE_MS = 250;

const raiseTo = `
local known = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > known then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;

export interface SharedSessionPositions {
  /** Raises the session's shared position to at least `position`; false when Redis did not take it in time. */
  wrote(token: string, position: number): Promise<boolean>;
  /** The session's shared position (0: none known), or undefined when Redis did not answer in time. */
  lastWrite(token: string): Promise<number | undefined>;
}

export function sharedSessionPositions(client: Redis, namespace: string, options: { ttlMs?: number; deadlineMs?: number } = {}): SharedSessionPositions {
  const ttlMs = options.ttlMs ?? SHARED_POSITION_TTL_MS;
  const deadlineMs = options.deadlineMs ?? SHARED_POSITION_DEADLINE_MS;
  const health = dependencyLog('redis').part('read-your-writes');
  const keyOf = (token: string) => `${namespace}:rw:${createHash('sha256').update(token).digest('base64url')}`;
  /** `work`'s value, or undefined when it failed or took longer than the deadline. */
  const inTime = async <T>(work: Promise<T>): Promise<T | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), deadlineMs);
    });
    try {
      const value = await Promise.race([work, late]);
      if (value === undefined) health.failed(new Error(`no answer within ${deadlineMs} ms`));
      else health.ok();
      return value;
    } catch (error) {
      health.failed(error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async wrote(token, position) {
      return (await inTime(client.eval(raiseTo, 1, keyOf(token), String(position), String(ttlMs)))) !== undefined;
    },
    async lastWrite(token) {
      const value = await inTime(client.get(keyOf(token)).then((v) => v ?? '0'));
      return value === undefined ? undefined : Number(value);
    },
  };
}
