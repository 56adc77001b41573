/**
 * An outage as clients meet it, on every transport: another process holds
 * the SQLite write lock (here a second connection, which is all SQLite
 * sees of another process). Writes fail UNAVAILABLE within the deadline,
 * reads and liveness keep answering, readiness says why, and once the lock
 * is gone an idempotent retry commits exactly once.
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST, REGISTER, CREATE_THREAD, startTestServer, type TestServer } from '../support/server.ts';
import { waitFor } from '../support/waitFor.ts';

const TIMEOUT_MS = 400;

describe('an unavailable database (SQLite locked by another writer)', () => {
  let server: TestServer;
  let token: string;
  let threadId: string;
  let holder: BetterSqlite3.Database | undefined;

  const lock = () => {
    holder = new BetterSqlite3(server.database.url.slice('sqlite:'.length));
    holder.exec('BEGIN IMMEDIATE');
  };
  const unlock = () => {
    holder?.exec('ROLLBACK');
    holder?.close();
    holder = undefined;
  };
  const post = async (accept: string, body: string, key: string) => {
    const started = Date.now();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: POST, variables: { t: threadId, b: body, key } }),
    });
    return { response, ms: Date.now() - started, json: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
  };
  const readyz = async () => {
    const response = await fetch(server.url.replace('/graphql', '/readyz'));
    return { status: response.status, body: (await response.json()) as { status: string; reasons: string[] } };
  };

  beforeAll(async () => {
    server = await startTestServer('sqlite', undefined, { dbTimeoutMs: TIMEOUT_MS });
    token = (await server.ok(REGISTER, { u: 'patient', p: 'password1', d: 'Patient' })).register.token;
    threadId = (await server.ok(CREATE_THREAD, { title: 'During an outage' }, token)).createThread.thread.id;
  });
  afterAll(async () => {
    unlock();
    await server.dispose();
  });

  it('is ready while the database is', async () => {
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.status).toBe('ready');
  });

  it('answers a write UNAVAILABLE (retryable, 503 + Retry-After) within the deadline, reads and /healthz still answer, /readyz says why', async () => {
    lock();
    try {
      const refused = await post('application/graphql-response+json', 'in the outage', 'outage-1');
      expect(refused.response.status).toBe(503);
      expect(refused.response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.json.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
      expect(refused.ms).toBeLessThan(TIMEOUT_MS + 1000);

      // application/json clients read the code from a 200 body, and still get Retry-After.
      const legacy = await post('application/json', 'in the outage', 'outage-1');
      expect(legacy.response.status).toBe(200);
      expect(legacy.response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(legacy.json.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');

      // Over SSE: the same code in the stream.
      const sse = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: POST, variables: { t: threadId, b: 'in the outage', key: 'outage-1' } }),
      });
      expect(await sse.text()).toContain('"UNAVAILABLE"');

      // Over WebSocket: the same code in the result.
      const ws = server.wsClient(token);
      const overWs = await new Promise<any>((resolve, reject) => {
        ws.subscribe({ query: POST, variables: { t: threadId, b: 'in the outage', key: 'outage-1' } }, { next: resolve, error: reject, complete: () => undefined });
      });
      expect(overWs.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');

      // Reads are not writes: the thread still reads, and liveness answers at once.
      const read = await server.gql('query ($id: ID!) { thread(id: $id) { title } }', { id: threadId }, token);
      expect(read.data?.thread?.title).toBe('During an outage');
      const started = Date.now();
      expect((await fetch(server.url.replace('/graphql', '/healthz'))).status).toBe(200);
      // Not waiting on the stalled store, which would take the whole query deadline (TIMEOUT_MS).
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS / 2);

      const ready = await readyz();
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('unready');
      expect(ready.body.reasons.join(' ')).toMatch(/database/);
    } finally {
      unlock();
    }
  });

  it('is ready again within 2 s of the lock going, and the retried write commits exactly once', async () => {
    await waitFor(async () => (await readyz()).status === 200, { what: '/readyz to answer 200 within 2 s of the lock going', timeoutMs: 2000, intervalMs: 50 });
    const first = await post('application/graphql-response+json', 'in the outage', 'outage-1');
    expect(first.response.status).toBe(200);
    const again = await post('application/graphql-response+json', 'in the outage', 'outage-1');
    expect(again.json.data.postMessage.message.id).toBe(first.json.data.postMessage.message.id);
    const messages = await server.ok<{ thread: { messageCount: number } }>('query ($id: ID!) { thread(id: $id) { messageCount } }', { id: threadId }, token);
    expect(messages.thread.messageCount).toBe(1);
  });
});
