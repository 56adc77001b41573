/**
 * Fuzz: thousands of random and mutated WebSocket frames against a real
 * server process on each store. Whatever arrives, the process stays up,
 * `/healthz` answers within 2 s throughout, nothing is written to the log,
 * no socket is closed as an internal error, every error has a code, the
 * server logs no stack trace, and no connection or subscription outlives
 * its socket.
 *
 * Seeded: THRDS_FUZZ_SEED replays a run, THRDS_FUZZ_CASE=i[,j] one case;
 * THRDS_FUZZ_COUNT and THRDS_FUZZ_SECONDS bound it (per store).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';
import { runFrameCase } from './support/frameCaseRun.ts';
import { type FrameCase, frameCase, frameCaseRepro } from './support/frameCases.ts';
import { describeFailures, type FuzzSuite, fuzzSettings, runFuzz, summary } from './support/fuzzRunner.ts';
import { FuzzServer } from './support/fuzzServer.ts';

const kinds = await storeKinds();
const settings = fuzzSettings({ count: 2000, seconds: 40 });

const suite: FuzzSuite<FrameCase> = {
  name: 'ws-frames',
  file: 'test/fuzz/wsFrames.fuzz.test.ts',
  generate: frameCase,
  label: (c) => c.kind,
  repro: frameCaseRepro,
  run: runFrameCase,
};

describe.each(kinds)('WebSocket frame fuzz on %s', (kind) => {
  let database: TestDatabase;
  let server: FuzzServer;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    server = new FuzzServer(database.url);
    await server.start();
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it(
    'random, truncated, oversized, badly encoded and out-of-protocol frames never crash, stall or write',
    async () => {
      console.log(`[fuzz] ws-frames on ${kind}: seed ${settings.seed} (THRDS_FUZZ_SEED=${settings.seed} replays it)`);
      const report = await runFuzz(suite, server, kind, settings);
      console.log(summary(report));
      expect(report.failures.length, describeFailures([report])).toBe(0);
      expect(report.ran).toBeGreaterThan(0);
    },
    settings.budgetMs + 120_000,
  );
});
