/**
 * Bots' drafts on `threadEvents` (issue 15): an ephemeral BotDraft between
 * the thread's events, on the WebSocket gateway (one execution per draft
 * for a whole group, in order with the log's events, never replayed on
 * resume, never to another thread) and over SSE from another instance
 * through Redis (a draft has no SSE id: Last-Event-ID stays a log position).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotDrafts } from '../../src/bots/botDrafts.ts';
import type { BotDraftValue } from '../../src/bots/types.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { channelFor } from '../../src/realtime/redisNotifier.ts';
import { REDIS_URL, redisReachable } from '../support/redis.ts';
import { CREATE_THREAD, POST, REGISTER, signUp, startTestServer, type TestServer } from '../support/server.ts';
import { eventually, type GatewayHarness, startGateway } from '../realtime/support/gatewayHarness.ts';

const WATCH = `subscription ($t: ID!, $after: Position) {
  threadEvents(threadId: $t, after: $after) {
    __typename
    ... on BotDraft { threadId text ended replyToId bot { id username } }
    ... on MessagePosted { position message { id body } }
  }
}`;

type Frame = { data?: { threadEvents: Record<string, unknown> } };

describe('bot drafts on threadEvents, WebSocket gateway', () => {
  let harness: GatewayHarness;
  let token: string;
  let botId: string;
  let threadId: string;
  let otherThreadId: string;
  const draft = (text: string, ended = false, thread = threadId): BotDraftValue => ({ kind: 'BotDraft', threadId: thread, botId, replyToId: botId, text, ended });

  beforeAll(async () => {
    harness = await startGateway('sqlite');
    const registered = (await harness.run(REGISTER, { u: 'drafts_ada', p: 'correct horse', d: 'Ada' })).data.register;
    token = registered.token;
    // Any user will do as the "bot" here: drafts name a user, and the loader reads it.
    botId = registered.user.id;
    threadId = (await harness.run(CREATE_THREAD, { title: 'Drafts' }, token)).data.createThread.thread.id;
    otherThreadId = (await harness.run(CREATE_THREAD, { title: 'Elsewhere' }, token)).data.createThread.thread.id;
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  it('delivers each draft to every live subscriber of the thread, executed once for the group, in order with the log, and to no other thread', async () => {
    const [a, b, other] = [await harness.client(token), await harness.client(), await harness.client()];
    for (const ws of [a, b]) ws.sendJson({ id: 'd', type: 'subscribe', payload: { query: WATCH, variables: { t: threadId } } });
    other.sendJson({ id: 'o', type: 'subscribe', payload: { query: WATCH, variables: { t: otherThreadId } } });
    await eventually(() => harness.gateway.stats.subscriptions >= 3, 'three subscriptions');

    const before = harness.gateway.stats.executions();
    harness.services.botDrafts.publish(draft('Hel'));
    harness.services.botDrafts.publish(draft('Hello the'));
    const posted = await harness.run(POST, { t: threadId, b: 'a message after the drafts' }, token);
    expect(posted.errors).toBeUndefined();
    harness.services.botDrafts.publish(draft('Hello there', true));

    for (const ws of [a, b]) {
      await ws.next((m) => m.id === 'd' && JSON.stringify(m.payload).includes('"ended":true'));
      const items = ws.messages.filter((m) => m.id === 'd' && m.type === 'next').map((m) => (m.payload as Frame).data!.threadEvents);
      expect(items.map((item) => item.__typename)).toEqual(['BotDraft', 'BotDraft', 'MessagePosted', 'BotDraft']);
      expect(items.map((item) => item.text ?? null)).toEqual(['Hel', 'Hello the', null, 'Hello there']);
      expect(items[0]).toMatchObject({ threadId, ended: false, replyToId: botId, bot: { id: botId, username: 'drafts_ada' } });
    }
    // Three drafts and one event, each executed once for both subscribers (the group).
    expect(harness.gateway.stats.executions() - before).toBe(4);
    expect(other.messages.filter((m) => m.id === 'o' && m.type === 'next')).toEqual([]);

    // A subscriber that resumes from before the drafts replays the log, not the drafts.
    const late = await harness.client();
    late.sendJson({ id: 'r', type: 'subscribe', payload: { query: WATCH, variables: { t: threadId, after: '0' } } });
    await late.next((m) => m.id === 'r' && JSON.stringify(m.payload).includes('a message after the drafts'));
    harness.services.botDrafts.publish(draft('live again'));
    await late.next((m) => m.id === 'r' && JSON.stringify(m.payload).includes('live again'));
    const replayed = late.messages.filter((m) => m.id === 'r' && m.type === 'next').map((m) => (m.payload as Frame).data!.threadEvents);
    expect(replayed.filter((item) => item.__typename === 'BotDraft').map((item) => item.text)).toEqual(['live again']);
  });

  it('a draft with no live subscriber costs nothing and breaks nothing', async () => {
    const quietThreadId = (await harness.run(CREATE_THREAD, { title: 'Nobody here' }, token)).data.createThread.thread.id as string;
    const before = harness.gateway.stats.executions();
    harness.services.botDrafts.publish(draft('nobody listens', false, quietThreadId));
    await new Promise((resolve) => setImmediate(resolve));
    expect(harness.gateway.stats.executions()).toBe(before);
  });
});

describe('bot drafts over SSE, published by another instance through Redis', async () => {
  const reachable = await redisReachable();
  let server: TestServer;

  beforeAll(async () => {
    if (reachable) server = await startTestServer('sqlite', undefined, { redisUrl: REDIS_URL });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it.skipIf(!reachable)('carries the draft between the events with no SSE id, so Last-Event-ID stays a log position', async () => {
    const ada = await signUp(server, 'sse_drafts_ada');
    const threadId = (await server.ok(CREATE_THREAD, { title: 'SSE drafts' }, ada.token)).createThread.thread.id as string;
    const db = await openDatabase(server.database.url);
    const namespace = channelFor(db.displayUrl);
    await db.close();
    const elsewhere = startBotDrafts({ redisUrl: REDIS_URL, namespace });
    const controller = new AbortController();
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: WATCH, variables: { t: threadId } }),
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const read = async (until: () => boolean) => {
        while (!until()) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`the stream ended: ${text}`);
          text += decoder.decode(value, { stream: true });
        }
      };
      // The subscription is live once the server holds it; drafts before that are lost by design.
      await eventually(async () => (await server.health()).sseSubscriptions >= 1, 'the SSE subscription is held');
      // Redis subscribes asynchronously: publish until the server has heard one.
      const heard = () => text.includes('"text":"thinking"');
      const publishing = setInterval(() => elsewhere.publish({ kind: 'BotDraft', threadId, botId: ada.id, replyToId: ada.id, text: 'thinking', ended: false }), 100);
      try {
        await read(heard);
      } finally {
        clearInterval(publishing);
      }
      await server.ok(POST, { t: threadId, b: 'after the draft' }, ada.token);
      await read(() => text.includes('after the draft'));

      const blocks = text.split('\n\n').filter((block) => block.includes('data: '));
      const draftBlock = blocks.find((block) => block.includes('"BotDraft"'))!;
      const postBlock = blocks.find((block) => block.includes('after the draft'))!;
      expect(draftBlock).not.toMatch(/^id: /m);
      const position = JSON.parse(postBlock.match(/^data: (.*)$/m)![1]!).data.threadEvents.position as string;
      expect(postBlock).toMatch(new RegExp(`^id: ${position}$`, 'm'));
    } finally {
      controller.abort();
      await elsewhere.close();
    }
  });
});
