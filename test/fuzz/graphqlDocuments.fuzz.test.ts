/**
 * Fuzz: random and mutated GraphQL requests over HTTP POST, GET, SSE and
 * WebSocket against a real server process on each store. Whatever is sent
 * (3,000-deep documents, thousands of aliases, fragment cycles, broken
 * syntax, 40,000-element lists, huge or wrongly typed variables, mutations
 * with inputs no rule may accept), the process stays up, `/healthz` answers
 * within 2 s throughout, nothing is written to the log, no answer is a 5xx,
 * every error carries `extensions.code` and none is INTERNAL_SERVER_ERROR,
 * no answer exceeds 4 MiB, and the server logs no stack trace.
 *
 * Seeded: THRDS_FUZZ_SEED replays a run, THRDS_FUZZ_CASE=i[,j] one case;
 * THRDS_FUZZ_COUNT and THRDS_FUZZ_SECONDS bound it (per store).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';
import { type DocumentCase, documentCase, documentCaseRepro } from './support/documentCases.ts';
import { type Fixture, runDocumentCase } from './support/documentRun.ts';
import { seedFixture } from './support/fixture.ts';
import { describeFailures, type FuzzSuite, fuzzSettings, runFuzz, summary } from './support/fuzzRunner.ts';
import { FuzzServer } from './support/fuzzServer.ts';

const kinds = await storeKinds();
const settings = fuzzSettings({ count: 1000, seconds: 50 });

describe.each(kinds)('GraphQL document fuzz on %s', (kind) => {
  let database: TestDatabase;
  let server: FuzzServer;
  let fixture: Fixture;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    server = new FuzzServer(database.url);
    await server.start();
    fixture = await seedFixture(server);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it(
    'deep, wide, aliased, malformed and invalid requests on every transport never crash, stall, write or answer without a code',
    async () => {
      const suite: FuzzSuite<DocumentCase> = {
        name: 'graphql-documents',
        file: 'test/fuzz/graphqlDocuments.fuzz.test.ts',
        generate: documentCase,
        label: (c) => `${c.kind} over ${c.transport}`,
        repro: documentCaseRepro,
        run: (c, s) => runDocumentCase(c, s, fixture),
      };
      console.log(`[fuzz] graphql-documents on ${kind}: seed ${settings.seed} (THRDS_FUZZ_SEED=${settings.seed} replays it)`);
      const report = await runFuzz(suite, server, kind, settings);
      console.log(summary(report));
      expect(report.failures.length, describeFailures([report])).toBe(0);
      expect(report.ran).toBeGreaterThan(0);
    },
    settings.budgetMs + 120_000,
  );
});
