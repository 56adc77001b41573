/**
 * Redis (an instance of the test's own) stopped for 5 s and started again
 * under a server with REDIS_URL: Redis only speeds up fan-out and shares rate
 * counters, so writes go on, and the outage is logged in a few lines, with
 * one line when Redis is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { OwnRedis, ownRedisUnavailable } from '../support/ownRedis.ts';
import { ServerProcess } from '../support/serverProcess.ts';
import { DEADLINE_MS, faultEnv, skipOutsideCi } from './support/faultEnv.ts';
import { expectOutageHandled, runOutage } from './support/outage.ts';

const noRedis = skipOutsideCi(await ownRedisUnavailable());
if (noRedis) console.warn(`[test] SKIPPED the Redis outage test: ${noRedis}`);

describe.skipIf(noRedis !== undefined)('Redis stopped and started', () => {
  let database: TestDatabase;
  let redis: OwnRedis;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    redis = await OwnRedis.start();
    server = await ServerProcess.start({ databaseUrl: database.url, env: { ...faultEnv, REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.dispose();
    await database?.drop();
  });

  it('keeps every write succeeding, logs the outage in a bounded number of lines and the recovery once', async () => {
    const result = await runOutage({
      server: server!,
      storeUrl: database.url,
      fault: { name: 'redis-stop', inject: () => redis.stop('SIGTERM'), lift: () => redis.start() },
      outageMs: 5000,
    });
    expectOutageHandled(result, { deadlineMs: DEADLINE_MS, writesFail: false, readiness: false, maxLogLines: 20 });
    const redisLines = server!.linesMatching(/redis/i, result.injectingAt);
    const recovery = redisLines.filter((l) => l.at >= result.liftingAt && /\bback\b|recover|reconnect|restored/i.test(l.text));
    const report = redisLines.map((l) => `${Math.round(l.at - result.injectingAt)}ms ${l.text.slice(0, 200)}`).join('\n  ');
    console.log(`[redis-stop] Redis lines from the fault on (${redisLines.length}):\n  ${report}`);
    expect.soft(redisLines.length, `lines about Redis from the fault on:\n  ${report}`).toBeGreaterThan(0);
    expect.soft(redisLines.length, `lines about Redis from the fault on:\n  ${report}`).toBeLessThanOrEqual(10);
    expect.soft(recovery.length, `Redis recovery lines:\n  ${report}`).toBe(1);
  }, 90_000);
});
