/**
 * The write-load bench's trace (THRDS_BENCH_TRACE=1): the marks' rules, then
 * a real server on SQLite with a live subscriber, whose message is marked at
 * every stage from its append's submission to its frame, in that order.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Read once when the module loads: set before any import of the server's modules (hoisted above them).
vi.hoisted(() => {
  process.env.THRDS_BENCH_TRACE = '1';
});

import { BenchTrace, benchTrace, type TraceStage } from '../../src/observability/benchTrace.ts';
import { collect, CREATE_THREAD, POST, signUp, startTestServer, THREAD_EVENTS, type TestServer } from '../support/server.ts';

describe('BenchTrace', () => {
  it('keeps a stage’s first mark, lets markLast replace it, and answers {} for a position never seen', () => {
    const trace = new BenchTrace();
    trace.mark(7, 'committed', 10);
    trace.mark(7, 'committed', 20);
    trace.mark(7, 'framesWritten', 30);
    trace.markLast(7, 'framesWritten', 40);
    expect(trace.read([7, 8])).toEqual([{ committed: 10, framesWritten: 40 }, {}]);
  });
});

describe('the bench trace in a running server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });

  afterAll(async () => {
    await server?.dispose();
    // The worker process may run other files next: they must start untraced.
    delete process.env.THRDS_BENCH_TRACE;
  });

  it('marks a live delivery at every stage, from submission to the frames, in order', async () => {
    expect(benchTrace).toBeDefined();
    const { token } = await signUp(server, 'tracer');
    const thread = await server.ok<{ createThread: { thread: { id: string } } }>(CREATE_THREAD, { title: 'traced' }, token);
    const t = thread.createThread.thread.id;
    type Item = { threadEvents: { position: string; message?: { body: string } } };
    const received = collect<Item>(server.wsClient(token), THREAD_EVENTS, { t }, (items) => items.some((i) => i.threadEvents.message?.body === 'second'));
    // The first message proves the subscription live; the second goes out through its group.
    await expect.poll(async () => {
      await server.ok(POST, { t, b: 'first' }, token);
      return received.items.length;
    }).toBeGreaterThan(0);
    const posted = await server.ok<{ postMessage: { position: string } }>(POST, { t, b: 'second' }, token);
    await received.done;
    const [marks] = benchTrace!.read([Number(posted.postMessage.position)]);
    const order: TraceStage[] = ['submitted', 'groupStarted', 'committed', 'fed', 'executed', 'framesWritten'];
    const times = order.map((stage) => marks?.[stage]);
    expect(times.every((at) => typeof at === 'number')).toBe(true);
    expect([...(times as number[])].sort((a, b) => a - b)).toEqual(times);
  });
});
