/**
 * `/metrics`: Prometheus text a scraper accepts, with counters that move
 * when the server works (an append, a subscription delivery over WebSocket
 * and SSE, a rate-limit refusal), per app instance (two servers in one
 * process keep their own), and behind THRDS_METRICS_TOKEN when it is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relaxedProtection } from '../support/protection.ts';
import { collect, CREATE_THREAD, POST, signUp, startTestServer, THREAD_EVENTS, type TestServer } from '../support/server.ts';
import { storeKinds } from '../support/databases.ts';
import { waitFor } from '../support/waitFor.ts';
import { type Exposition, parsePrometheus } from './support/prometheus.ts';

const kinds = await storeKinds();

async function scrape(server: TestServer, token?: string): Promise<Exposition> {
  const response = await fetch(server.url.replace('/graphql', '/metrics'), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await response.text());
}

describe.each(kinds)('/metrics on %s', (kind) => {
  let server: TestServer;
  let token: string;
  let threadId: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    token = (await signUp(server, 'meter')).token;
    threadId = (await server.ok(CREATE_THREAD, { title: 'Measured' }, token)).createThread.thread.id;
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('answers Prometheus text with the documented metrics, typed', async () => {
    const metrics = await scrape(server);
    const expected: Record<string, string> = {
      thrds_append_duration_seconds: 'histogram',
      thrds_append_group_size: 'histogram',
      thrds_append_group_duration_seconds: 'histogram',
      thrds_appends_total: 'counter',
      thrds_log_head_position: 'gauge',
      thrds_log_feed_position: 'gauge',
      thrds_projection_lag_events: 'gauge',
      thrds_websocket_connections: 'gauge',
      thrds_websocket_subscriptions: 'gauge',
      thrds_sse_connections: 'gauge',
      thrds_sse_subscriptions: 'gauge',
      thrds_subscription_deliveries_total: 'counter',
      thrds_slow_consumer_drops_total: 'counter',
      thrds_rate_limit_refusals_total: 'counter',
      thrds_db_pool_size: 'gauge',
      thrds_db_pool_in_use: 'gauge',
      thrds_db_pool_waiting: 'gauge',
      thrds_http_requests_total: 'counter',
      thrds_process_cpu_seconds_total: 'counter',
      thrds_process_resident_memory_bytes: 'gauge',
      thrds_nodejs_eventloop_lag_seconds: 'gauge',
    };
    for (const [name, type] of Object.entries(expected)) expect(metrics.types.get(name), name).toBe(type);
    // No REDIS_URL: no Redis gauge pretending to be down.
    expect(metrics.types.has('thrds_redis_connected')).toBe(false);
    expect(metrics.value('thrds_db_pool_size')).toBeGreaterThanOrEqual(1);
    expect(metrics.value('thrds_log_head_position')).toBeGreaterThanOrEqual(2);
    expect(metrics.value('thrds_projection_lag_events')).toBe(0);
  });

  it('counts an append: outcome, latency, group size, head', async () => {
    const before = await scrape(server);
    const posted = await server.ok(POST, { t: threadId, b: 'counted' }, token);
    const after = await scrape(server);
    const appended = (m: Exposition) => m.value('thrds_appends_total', { outcome: 'appended' }) ?? 0;
    expect(appended(after)).toBe(appended(before) + 1);
    expect(after.value('thrds_append_duration_seconds_count')).toBe((before.value('thrds_append_duration_seconds_count') ?? 0) + 1);
    expect(after.value('thrds_append_group_size_count')).toBe((before.value('thrds_append_group_size_count') ?? 0) + 1);
    expect(after.value('thrds_append_group_size_sum')).toBe((before.value('thrds_append_group_size_sum') ?? 0) + 1);
    expect(after.value('thrds_log_head_position')).toBe(Number(posted.postMessage.position));
    expect(after.value('thrds_http_requests_total', { route: '/graphql', status: '200' })).toBeGreaterThan(before.value('thrds_http_requests_total', { route: '/graphql', status: '200' }) ?? 0);
  });

  it('counts a retried append as a duplicate and a refused one by its code', async () => {
    const before = await scrape(server);
    await server.ok(POST, { t: threadId, b: 'once', key: `k-${kind}` }, token);
    await server.ok(POST, { t: threadId, b: 'once', key: `k-${kind}` }, token);
    const conflict = await server.gql(POST, { t: threadId, b: 'another body', key: `k-${kind}` }, token);
    expect(conflict.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const after = await scrape(server);
    expect(after.value('thrds_appends_total', { outcome: 'duplicate' })).toBe((before.value('thrds_appends_total', { outcome: 'duplicate' }) ?? 0) + 1);
    expect(after.value('thrds_appends_total', { outcome: 'failed', code: 'CONFLICT' })).toBe((before.value('thrds_appends_total', { outcome: 'failed', code: 'CONFLICT' }) ?? 0) + 1);
  });

  it('counts WebSocket connections, subscriptions and deliveries', async () => {
    const before = await scrape(server);
    const client = server.wsClient(token);
    const feed = collect<{ threadEvents: { position: string } }>(client, THREAD_EVENTS, { t: threadId }, (items) => items.length >= 2);
    await waitFor(async () => (await scrape(server)).value('thrds_websocket_subscriptions') === 1, { what: 'thrds_websocket_subscriptions to read 1' });
    const during = await scrape(server);
    expect(during.value('thrds_websocket_connections')).toBe(1);
    await server.ok(POST, { t: threadId, b: 'to the socket 1' }, token);
    await server.ok(POST, { t: threadId, b: 'to the socket 2' }, token);
    await feed.done;
    const after = await scrape(server);
    const delivered = (m: Exposition) => m.value('thrds_subscription_deliveries_total', { transport: 'websocket' }) ?? 0;
    expect(delivered(after)).toBe(delivered(before) + 2);
    await client.dispose();
    await waitFor(async () => (await scrape(server)).value('thrds_websocket_connections') === 0, { what: 'thrds_websocket_connections to read 0' });
  });

  it('counts SSE streams and their deliveries', async () => {
    const before = await scrape(server);
    const controller = new AbortController();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: THREAD_EVENTS, variables: { t: threadId } }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    await waitFor(async () => (await scrape(server)).value('thrds_sse_subscriptions') === 1, { what: 'thrds_sse_subscriptions to read 1' });
    expect((await scrape(server)).value('thrds_sse_connections')).toBe(1);
    await server.ok(POST, { t: threadId, b: 'to the stream' }, token);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('to the stream')) text += new TextDecoder().decode((await reader.read()).value);
    const after = await scrape(server);
    const delivered = (m: Exposition) => m.value('thrds_subscription_deliveries_total', { transport: 'sse' }) ?? 0;
    expect(delivered(after)).toBe(delivered(before) + 1);
    controller.abort();
    await waitFor(async () => (await scrape(server)).value('thrds_sse_connections') === 0, { what: 'thrds_sse_connections to read 0' });
  });
});

describe('/metrics per instance, with a token, and rate-limit refusals', () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    first = await startTestServer('sqlite', undefined, { metricsToken: 'scrape-secret' });
    second = await startTestServer('sqlite', undefined, { protection: relaxedProtection({ rates: { ...relaxedProtection().rates, signupsPerAddress: { points: 1, durationSeconds: 3600 } } }) });
  });
  afterAll(async () => {
    await first?.dispose();
    await second?.dispose();
  });

  it('refuses a scrape without the token (401) and with a wrong one, and answers with it', async () => {
    const url = first.url.replace('/graphql', '/metrics');
    const without = await fetch(url);
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await without.text()).not.toContain('thrds_');
    expect((await fetch(url, { headers: { authorization: 'Bearer scrape-secreT' } })).status).toBe(401);
    const metrics = await scrape(first, 'scrape-secret');
    expect(metrics.value('thrds_http_requests_total', { route: '/metrics', status: '401' })).toBe(2);
  });

  it('keeps each instance its own counts, and counts refusals by limit', async () => {
    await signUp(second, 'only_one');
    const refused = await second.gql(`mutation { register(input: { username: "second_one", password: "correct horse", displayName: "x" }) { token } }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const metrics = await scrape(second);
    expect(metrics.value('thrds_rate_limit_refusals_total', { limit: 'signupsPerAddress' })).toBe(1);
    expect(metrics.value('thrds_rate_limit_refusals_total', { limit: 'postsPerUser' })).toBe(0);
    expect(metrics.value('thrds_appends_total', { outcome: 'appended' })).toBe(1);
    const other = await scrape(first, 'scrape-secret');
    expect(other.value('thrds_rate_limit_refusals_total', { limit: 'signupsPerAddress' })).toBe(0);
    expect(other.value('thrds_appends_total', { outcome: 'appended' })).toBeUndefined();
  });
});
