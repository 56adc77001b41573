/**
 * A dependency's trouble is told once, counted, and its recovery told once:
 * the rule on a fake clock, then for real with our own redis-server (stopped
 * and started under a running Thrds) and with the log feed's reads failing.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDependencyLog } from '../../src/observability/dependencyLog.ts';
import { log } from '../../src/observability/log.ts';
import { captureLogs, type CapturedLogs, type LogLine } from '../support/captureLogs.ts';
import { OwnRedis } from '../support/ownRedis.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';
import { parsePrometheus } from './support/prometheus.ts';

describe('dependencyLog on a fake clock', () => {
  it('logs the first failure, repeats at most once a second with their count, and the recovery once', () => {
    const logs = captureLogs('debug');
    try {
      let now = 1_000_000;
      const redis = createDependencyLog('redis', { clock: () => now, logger: log });
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' });
      redis.ok();
      expect(logs.lines).toEqual([]);
      redis.failed(refused);
      for (let i = 0; i < 99; i += 1) {
        now += 5; // 100 errors in 0.5 s: still within the first second
        redis.failed(refused);
      }
      expect(logs.lines.map((l) => l.msg)).toEqual(['redis down: connect ECONNREFUSED 127.0.0.1:6390']);
      expect(logs.lines[0]).toMatchObject({ level: 'warn', dependency: 'redis', code: 'ECONNREFUSED' });
      expect(logs.lines[0]?.err).toBeUndefined();
      now += 505; // a second after the first line
      redis.failed(refused);
      expect(logs.lines).toHaveLength(2);
      expect(logs.lines[1]).toMatchObject({ level: 'warn', errors: 100, msg: 'redis still down: 100 more errors in 1.0 s (last: connect ECONNREFUSED 127.0.0.1:6390)' });
      now += 999;
      redis.failed(refused);
      expect(logs.lines).toHaveLength(2);
      now += 3000;
      expect(redis.down).toBe(true);
      redis.ok();
      redis.ok();
      expect(redis.down).toBe(false);
      expect(logs.lines).toHaveLength(3);
      expect(logs.lines[2]).toMatchObject({ level: 'info', errors: 102, downMs: 4999, msg: 'redis back after 102 errors, 5.0 s' });
      // Down again: a new story, told from its start.
      redis.failed(refused);
      expect(logs.lines.at(-1)?.msg).toBe('redis down: connect ECONNREFUSED 127.0.0.1:6390');
    } finally {
      logs.stop();
    }
  });

  it('is back only when every connection that failed is back, so one reconnecting first does not log back-down-back', () => {
    const logs = captureLogs('debug');
    try {
      const redis = createDependencyLog('redis', { logger: log });
      const publisher = redis.part('publisher');
      const subscriber = redis.part('subscriber');
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' });
      publisher.failed(refused);
      subscriber.failed(refused);
      subscriber.ok();
      expect(redis.down).toBe(true);
      publisher.failed(new Error("Stream isn't writeable and enableOfflineQueue options is false"));
      publisher.ok();
      expect(redis.down).toBe(false);
      expect(logs.lines.map((l) => l.msg)).toEqual(['redis down: connect ECONNREFUSED 127.0.0.1:6390', 'redis back after 3 errors, 0.0 s']);
    } finally {
      logs.stop();
    }
  });

  it('shows the stack once when what failed looks like a bug rather than an outage', () => {
    const logs = captureLogs('debug');
    try {
      const feed = createDependencyLog('log feed', { logger: log });
      feed.failed(new TypeError('cannot read properties of undefined'));
      feed.failed(new TypeError('cannot read properties of undefined'));
      expect(logs.lines).toHaveLength(1);
      expect(logs.lines[0]?.err?.stack).toContain('TypeError');
    } finally {
      logs.stop();
    }
  });
});

describe('a real Redis going down and coming back under a running server', () => {
  let redis: OwnRedis;
  let server: TestServer;
  let logs: CapturedLogs;
  let token: string;
  let threadId: string;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    server = await startTestServer('sqlite', undefined, { redisUrl: redis.url });
    token = (await signUp(server, 'redis_watcher')).token;
    threadId = (await server.ok(CREATE_THREAD, { title: 'Redis weather' }, token)).createThread.thread.id;
  });
  afterAll(async () => {
    logs?.stop();
    await server?.dispose();
    await redis?.dispose();
  });

  const connected = async () => parsePrometheus(await (await fetch(server.url.replace('/graphql', '/metrics'))).text()).value('thrds_redis_connected');
  const redisLines = (): LogLine[] => logs.lines.filter((l) => l.dependency === 'redis');

  it('logs "down" once, a bounded count while down, "back" once; the gauge follows', async () => {
    expect(await connected()).toBe(1);
    logs = captureLogs('info');
    await redis.stop('SIGKILL');
    const downAt = Date.now();
    // Writes keep coming: every commit tries to publish to Redis and fails.
    let writes = 0;
    while (Date.now() - downAt < 3000) {
      await server.ok(POST, { t: threadId, b: `while Redis is away ${(writes += 1)}` }, token);
      await new Promise((resolve) => setTimeout(resolve, 10)); // pacing: ~100 writes a second for the 3 s outage under test
    }
    const downSeconds = (Date.now() - downAt) / 1000;
    expect(await connected()).toBe(0);
    const whileDown = redisLines();
    expect(whileDown.filter((l) => l.msg.startsWith('redis down:'))).toHaveLength(1);
    const repeats = whileDown.filter((l) => l.msg.startsWith('redis still down:'));
    expect(repeats.length).toBeLessThanOrEqual(Math.ceil(downSeconds));
    for (const line of whileDown) expect(line.level).toBe('warn');
    expect(writes).toBeGreaterThan(50);

    await redis.start();
    await waitFor(() => redisLines().some((l) => l.msg.startsWith('redis back after')), { what: 'the recovery line', timeoutMs: 15_000 });
    await waitFor(async () => (await connected()) === 1, { what: 'the gauge to show Redis connected', timeoutMs: 15_000 });
    // More traffic after the recovery: nothing more about Redis.
    for (let i = 0; i < 20; i += 1) await server.ok(POST, { t: threadId, b: `Redis is back ${i}` }, token);
    // An absence takes a period to show: 1.5 s outlasts the once-a-second "still down" repeat.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const back = redisLines().filter((l) => l.msg.startsWith('redis back after'));
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ level: 'info', errors: expect.any(Number), downMs: expect.any(Number) });
    expect(redisLines().filter((l) => l.msg.startsWith('redis down:'))).toHaveLength(1);
    expect(redisLines().length).toBeLessThanOrEqual(2 + Math.ceil(downSeconds) + 3);
    expect(logs.atLeast('error')).toEqual([]);
  });

  it("logs the log feed's failing reads once, counted, and their recovery once", async () => {
    logs?.stop();
    logs = captureLogs('info');
    const other = new Database(server.database.url.replace(/^sqlite:/, ''));
    other.exec('ALTER TABLE events RENAME TO events_elsewhere');
    try {
      // The outage under test, held 2.5 s: the feed polls every 100 ms here, so some 25 failed reads.
      await new Promise((resolve) => setTimeout(resolve, 2500));
    } finally {
      other.exec('ALTER TABLE events_elsewhere RENAME TO events');
      other.close();
    }
    await waitFor(() => logs.lines.some((l) => l.dependency === 'log feed' && l.msg.startsWith('log feed back after')), { what: 'the feed recovery line', timeoutMs: 15_000 });
    const feedLines = logs.lines.filter((l) => l.dependency === 'log feed');
    expect(feedLines[0]?.msg).toMatch(/^log feed down: no such table: events/);
    expect(feedLines.length).toBeLessThanOrEqual(1 + 3 + 1);
    expect(feedLines.filter((l) => l.msg.startsWith('log feed back after'))).toHaveLength(1);
    const errors = Number(feedLines.at(-1)?.errors);
    expect(errors).toBeGreaterThanOrEqual(10);
  });
});
