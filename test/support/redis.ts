/** Redis for the multi-instance tests: required under CI, skipped with a warning elsewhere when absent. */
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.THRDS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisReachable(): Promise<boolean> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`Redis is required under CI but unreachable at ${REDIS_URL}: ${String(error)}`);
    console.warn(`[test] Redis unreachable at ${REDIS_URL}: multi-instance fan-out tests are SKIPPED`);
    return false;
  } finally {
    client.disconnect();
  }
}
