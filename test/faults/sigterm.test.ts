/**
 * SIGTERM under load, three times per store: 32 writers post with unique
 * idempotency keys, the server gets SIGTERM mid-load and must go unready at
 * once, answer what it took, exit 0 within THRDS_DRAIN_MS, and never commit a
 * message whose request got no success response. Refused or closed requests
 * are fine: they were not acknowledged, and they are not in the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type StoreKind, storeKinds, type TestDatabase } from '../support/databases.ts';
import { ServerProcess } from '../support/serverProcess.ts';
import { waitFor } from '../support/waitFor.ts';
import { isProperUnavailable, summarize } from './support/faultClient.ts';
import { faultEnv } from './support/faultEnv.ts';
import { compare, readStore } from './support/logCheck.ts';
import { startProbe, timeline } from './support/probes.ts';
import { acknowledgedKeys, newAuthor, startLoad } from './support/workload.ts';

const DRAIN_MS = Number(faultEnv.THRDS_DRAIN_MS);
/** Process exit after the drain: closing the store and node's own teardown. */
const EXIT_SLACK_MS = 1500;
const ROUNDS = 3;

describe.each(await storeKinds())('SIGTERM under 32 writers on %s', (kind: StoreKind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  for (let round = 1; round <= ROUNDS; round += 1) {
    it(`round ${round}: /readyz goes 503 at once, the process exits 0 within the drain bound, and every committed message had its success response`, async () => {
      const server = await ServerProcess.start({ databaseUrl: database.url, env: faultEnv });
      try {
        const author = await newAuthor(server.base);
        const ready = await startProbe(server.base, '/readyz', { intervalMs: 20, timeoutMs: 2000 });
        const load = startLoad(server.base, author, { writers: 32, prefix: `${kind}-sigterm-${round}-${Date.now().toString(36)}`, pauseMs: 0 });
        // Mid-load: once every writer has had an answer, plus a random moment (the when of SIGTERM is what varies between rounds).
        await waitFor(() => load.posts.length >= 32, { what: 'every one of 32 writers to have had an answer', timeoutMs: 15_000, seen: () => `${load.posts.length} answers` });
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 300)));
        const postsBefore = load.posts.length;
        const sigtermAt = performance.now();
        server.signal('SIGTERM');
        const exit = await server.waitForExit(DRAIN_MS + EXIT_SLACK_MS + 5000);
        await load.stop();
        await ready.stop();

        const contents = await readStore(database.url, author.threadId);
        const store = compare(contents, acknowledgedKeys(load.posts));
        const afterSignal = load.posts.filter((p) => p.startedAt + p.ms >= sigtermAt);
        const readyAfter = ready.samples.filter((s) => s.at + s.ms >= sigtermAt);
        const report = [
          `[${kind} sigterm round ${round}] posts ${load.posts.length} (${postsBefore} answered before SIGTERM): ${summarize(load.posts)}`,
          `answered after SIGTERM: ${summarize(afterSignal)}`,
          `exit ${exit ? `code ${exit.code} signal ${exit.signal} after ${Math.round(exit.at - sigtermAt)} ms` : 'none (killed)'}`,
          `readyz from SIGTERM on: ${timeline(readyAfter, sigtermAt)}`,
          `store: logged ${contents.logged.size}, lost ${store.lost.length}, committed without a success response ${store.unacknowledged.length}, duplicated ${store.duplicated.length}; verify ${contents.verify.finding ? contents.verify.finding.kind : 'ok'}`,
        ].join('\n  ');
        console.log(report);
        const tag = `[${kind} sigterm round ${round}]`;

        expect.soft(postsBefore, `${tag} the load was running before SIGTERM`).toBeGreaterThanOrEqual(32);
        expect.soft(exit?.code, `${tag} exit code\n${server.output(40)}`).toBe(0);
        expect.soft(exit ? exit.at - sigtermAt : Infinity, `${tag} ms from SIGTERM to exit (bound THRDS_DRAIN_MS ${DRAIN_MS} + ${EXIT_SLACK_MS})`).toBeLessThanOrEqual(DRAIN_MS + EXIT_SLACK_MS);
        // Readiness: answers to probes sent 100 ms or more after the signal are never 200, and the first 503 comes within 500 ms.
        const late200 = ready.samples.filter((s) => s.at >= sigtermAt + 100 && s.status === 200);
        expect.soft(late200.length, `${tag} /readyz 200 answers to probes sent after SIGTERM`).toBe(0);
        const first503 = readyAfter.find((s) => s.status === 503);
        expect.soft(first503 ? first503.at + first503.ms - sigtermAt : Infinity, `${tag} ms from SIGTERM to the first /readyz 503`).toBeLessThanOrEqual(500);
        const improper = afterSignal.filter((p) => !p.ok && p.status !== 0 && !isProperUnavailable(p));
        expect.soft(improper.length, `${tag} answers after SIGTERM that are neither success, 503 UNAVAILABLE, nor a closed connection: ${summarize(improper)}`).toBe(0);
        expect.soft(store.unacknowledged, `${tag} committed without a success response`).toEqual([]);
        expect.soft(store.lost, `${tag} acknowledged but not in the log`).toEqual([]);
        expect.soft(store.duplicated, `${tag} duplicated`).toEqual([]);
        expect.soft(contents.verify.finding, `${tag} log verification`).toBeUndefined();
      } finally {
        await server.stop(1000);
      }
    }, 60_000);
  }
});
