/**
 * Refused requests in the log: a client's mistake is a debug line; an
 * UNAVAILABLE flood is a warn line for the first refusal (with its request
 * id) and then at most one a second per reason, with the count in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logRefusal } from '../../src/observability/refusalLog.ts';
import { captureLogs } from '../support/captureLogs.ts';
import { mariadbReachable } from '../support/databases.ts';
import { CREATE_THREAD, POST, signUp, startTestServer, type TestServer } from '../support/server.ts';

describe('logRefusal on a fake clock', () => {
  it('sums up UNAVAILABLE refusals at most once a second per reason; other refusals stay at debug', () => {
    const logs = captureLogs('info');
    try {
      let now = 5_000_000;
      const refuse = (requestId: string, reason: string) => logRefusal({ requestId, code: 'UNAVAILABLE', message: 'try again shortly', reason }, () => now);
      logRefusal({ requestId: 'r0', code: 'NOT_FOUND', message: 'No thread' }, () => now);
      refuse('r1', 'database_unreachable');
      for (let i = 2; i <= 40; i += 1) {
        now += 10;
        refuse(`r${i}`, 'database_unreachable');
      }
      refuse('q1', 'queue_full');
      expect(logs.lines.map((l) => [l.requestId, l.reason])).toEqual([
        ['r1', 'database_unreachable'],
        ['q1', 'queue_full'],
      ]);
      now += 700;
      refuse('r41', 'database_unreachable');
      expect(logs.lines.at(-1)).toMatchObject({ level: 'warn', requestId: 'r41', code: 'UNAVAILABLE', refusedBefore: 39 });
      expect(logs.lines.at(-1)?.msg).toBe('request refused, UNAVAILABLE: try again shortly (and 39 more in the 1.1 s before)');
    } finally {
      logs.stop();
    }
  });
});

// MariaDB: a commit takes long enough (a round trip and an fsync) for writes to pile up behind it.
describe.skipIf(!(await mariadbReachable()))('a full append queue under a running server', () => {
  let server: TestServer;
  let token: string;
  let threadId: string;
  beforeAll(async () => {
    server = await startTestServer('mariadb', undefined, { appendQueueLimit: 1 });
    token = (await signUp(server, 'crowded')).token;
    threadId = (await server.ok(CREATE_THREAD, { title: 'Crowded' }, token)).createThread.thread.id;
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('refuses the overflow UNAVAILABLE and logs it in a few lines, without stacks', async () => {
    const logs = captureLogs('info');
    let codes: string[];
    try {
      codes = await Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          fetch(server.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': `crowd-${i}` },
            body: JSON.stringify({ query: POST, variables: { t: threadId, b: `crowd ${i}` } }),
          }).then(async (r) => ((await r.json()) as { errors?: Array<{ extensions: { code: string } }> }).errors?.[0]?.extensions.code ?? 'OK'),
        ),
      );
    } finally {
      logs.stop();
    }
    expect(codes.filter((c) => c === 'UNAVAILABLE').length).toBeGreaterThan(10);
    expect(codes.filter((c) => c !== 'UNAVAILABLE' && c !== 'OK')).toEqual([]);
    const unavailable = logs.lines.filter((l) => l.code === 'UNAVAILABLE');
    expect(unavailable.length).toBeGreaterThanOrEqual(1);
    expect(unavailable.length).toBeLessThanOrEqual(3);
    expect(unavailable[0]).toMatchObject({ level: 'warn', reason: 'queue_full', requestId: expect.stringMatching(/^crowd-\d+$/) });
    expect(JSON.stringify(logs.lines)).not.toContain('    at ');
    expect(logs.lines.length).toBeLessThanOrEqual(5);
  });
});
