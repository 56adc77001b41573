/**
 * The GraphQL over HTTP spec, as graphql-http's own audit checks it, on
 * `/graphql` itself: the JSON fast path and yoga behind it answer every
 * audit "ok" (not a "notice", not a "warn"). The audit sends well-formed
 * and malformed requests alike (a string `extensions`, an array body, a GET
 * without a query, …), so this holds the fast path to the spec on what it
 * serves and on what it must hand to yoga.
 */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';

describe('the graphql-http audit on /graphql', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('passes all 61 audits with "ok", the fast path and yoga together', async () => {
    const audits = serverAudits({ url: server.url });
    expect(audits).toHaveLength(61);
    const results = [];
    for (const audit of audits) results.push(await audit.fn());
    const failing = results
      .filter((result) => result.status !== 'ok')
      .map((result) => `${result.status} ${result.id} ${result.name}: ${'reason' in result ? result.reason : ''}`);
    expect(failing).toEqual([]);
  });
});
