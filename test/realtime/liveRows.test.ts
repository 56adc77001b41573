/**
 * LiveRows: the rows fan-out resolves against, held in memory and moved on
 * by the log feed. Given/when/then against a real SQLite store; the feed's
 * deliveries are made by hand so their order against a read can be chosen.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/events/types.ts';
import { messageContentKey, newEvent } from '../../src/modules/eventModule.ts';
import { messagePosted } from '../../src/modules/messagePosted.ts';
import { messageDeleted } from '../../src/modules/messageDeleted.ts';
import { messageEdited } from '../../src/modules/messageEdited.ts';
import { threadCreated } from '../../src/modules/threadCreated.ts';
import { threadRenamed } from '../../src/modules/threadRenamed.ts';
import { LiveRows } from '../../src/realtime/liveRows.ts';
import { postMessage } from '../../src/modules/messagePosted.ts';
import { openThrds } from '../../src/openThrds.ts';
import { createServices } from '../../src/services.ts';
import { relaxedProtection } from '../support/protection.ts';
import { renameThread } from '../../src/modules/threadRenamed.ts';
import { CREATE_THREAD, REGISTER } from '../support/server.ts';
import { openTestThrds, systemMetadata, type TestThrds } from '../support/thrds.ts';
import { startGateway } from './support/gatewayHarness.ts';

/** A feed whose deliveries the test makes. */
function handFeed() {
  let listener: (events: readonly StoredEvent[]) => void = () => {};
  return {
    onAdvance(next: (events: readonly StoredEvent[]) => void) {
      listener = next;
      return () => {};
    },
    deliver: (events: readonly StoredEvent[]) => listener(events),
  };
}

describe('LiveRows', () => {
  let thrds: TestThrds;
  beforeAll(async () => {
    thrds = await openTestThrds('sqlite');
  });
  afterAll(async () => {
    await thrds.dispose();
  });

  async function openThread(title: string) {
    const threadId = randomUUID();
    const created = await thrds.store.append({ streamId: `thread-${threadId}`, events: [newEvent(threadCreated, { threadId, title })], metadata: systemMetadata });
    return { threadId, created: created.events };
  }
  const post = async (threadId: string, body: string, replyToId: string | null = null) =>
    (
      await thrds.store.append({
        streamId: `thread-${threadId}`,
        events: [newEvent(messagePosted, { messageId: randomUUID(), threadId, body, replyToId, format: 'plain', attachments: [] })],
        metadata: systemMetadata,
      })
    ).events;

  it('given a thread read once, when the feed delivers messages posted to it and a rename, then the held row follows them with no further read', async () => {
    const { threadId } = await openThread('Before');
    const feed = handFeed();
    const rows = new LiveRows(thrds.db, feed);
    expect(await rows.threadsByIds([threadId])).toMatchObject([{ title: 'Before', messageCount: 0 }]);
    const posted = [...(await post(threadId, 'one')), ...(await post(threadId, 'two'))];
    const renamed = (
      await thrds.store.append({ streamId: `thread-${threadId}`, events: [newEvent(threadRenamed, { threadId, title: 'After', previousTitle: 'Before' })], metadata: systemMetadata })
    ).events;
    feed.deliver([...posted, ...renamed]);
    expect(await rows.threadsByIds([threadId])).toEqual([expect.objectContaining({ title: 'After', messageCount: 2, position: renamed[0]!.position })]);
    expect(rows.reads).toBe(1);
  });

  it('given a row read after events the feed has not delivered yet, when the feed delivers them, then they are not counted twice', async () => {
    const { threadId } = await openThread('Ahead');
    const posted = await post(threadId, 'already in the row');
    const feed = handFeed();
    const rows = new LiveRows(thrds.db, feed);
    expect(await rows.threadsByIds([threadId])).toMatchObject([{ messageCount: 1 }]);
    feed.deliver(posted);
    expect(await rows.threadsByIds([threadId])).toMatchObject([{ messageCount: 1, position: posted[0]!.position }]);
  });

  it('given threads and messages created while it listens, when they are asked for, then they are answered from memory', async () => {
    const feed = handFeed();
    const rows = new LiveRows(thrds.db, feed);
    const { threadId, created } = await openThread('Fresh');
    const first = await post(threadId, 'first');
    const reply = await post(threadId, 'reply', String(first[0]!.data.messageId));
    feed.deliver([...created, ...first, ...reply]);
    expect(await rows.threadsByIds([threadId])).toMatchObject([{ title: 'Fresh', messageCount: 2 }]);
    expect(await rows.messagesByIds([String(first[0]!.data.messageId)])).toMatchObject([{ body: 'first', threadId }]);
    expect(rows.reads).toBe(0);
  });

  const edit = async (threadId: string, messageId: string, body: string) =>
    (await thrds.store.append({ streamId: `thread-${threadId}`, events: [newEvent(messageEdited, { messageId, threadId, body })], metadata: systemMetadata })).events;
  const remove = async (threadId: string, messageId: string) =>
    (
      await thrds.store.append({
        streamId: `thread-${threadId}`,
        events: [newEvent(messageDeleted, { messageId, threadId, reason: null, erases: messageContentKey(messageId) })],
        metadata: systemMetadata,
      })
    ).events;

  it('given a message the feed created, when the feed delivers its edit and then its deletion, then the held row follows each with no read', async () => {
    const feed = handFeed();
    const rows = new LiveRows(thrds.db, feed);
    const { threadId, created } = await openThread('Edits');
    const posted = await post(threadId, 'draft');
    const messageId = String(posted[0]!.data.messageId);
    feed.deliver([...created, ...posted]);
    const edited = await edit(threadId, messageId, 'final');
    feed.deliver(edited);
    expect(await rows.messagesByIds([messageId])).toMatchObject([{ body: 'final', editedAt: edited[0]!.recordedAt, deletedAt: null }]);
    const deleted = await remove(threadId, messageId);
    feed.deliver(deleted);
    expect(await rows.messagesByIds([messageId])).toMatchObject([{ body: '', editedAt: edited[0]!.recordedAt, deletedAt: deleted[0]!.recordedAt }]);
    expect(rows.reads).toBe(0);
  });

  it('given a message read after edits the feed has not delivered yet, when the feed delivers the first of them, then the row is not set back: it is read again', async () => {
    const { threadId } = await openThread('Ahead with edits');
    const posted = await post(threadId, 'one');
    const messageId = String(posted[0]!.data.messageId);
    const first = await edit(threadId, messageId, 'two');
    await edit(threadId, messageId, 'three');
    const feed = handFeed();
    const rows = new LiveRows(thrds.db, feed);
    expect(await rows.messagesByIds([messageId])).toMatchObject([{ body: 'three' }]);
    feed.deliver(first);
    expect(await rows.messagesByIds([messageId])).toMatchObject([{ body: 'three' }]);
    expect(rows.reads).toBe(2);
  });

  it('given more threads than it may hold, when more arrive, then the oldest are let go and read again on demand', async () => {
    const feed = handFeed();
    const rows = new LiveRows(thrds.db, feed, { threads: 2 });
    const opened = [await openThread('A'), await openThread('B'), await openThread('C')];
    feed.deliver(opened.flatMap((o) => o.created));
    expect(await rows.threadsByIds([opened[2]!.threadId, opened[1]!.threadId])).toHaveLength(2);
    expect(rows.reads).toBe(0);
    expect(await rows.threadsByIds([opened[0]!.threadId])).toMatchObject([{ title: 'A' }]);
    expect(rows.reads).toBe(1);
  });
});

describe('fan-out from the event', () => {
  const EVENTS = `subscription {
    events {
      __typename
      position
      ... on MessagePosted { message { body author { username } thread { title messageCount } replyTo { body } } }
      ... on ThreadRenamed { title thread { title messageCount } }
    }
  }`;

  it('given a subscriber whose selection reaches the thread, the author and the message replied to, when another instance posts 20 messages and a rename, then this one reads no thread or message row to deliver them', async () => {
    const harness = await startGateway('sqlite');
    // The writes come from another instance on the same log, so every read this server's database sees is its own.
    const writer = await openThrds({ databaseUrl: harness.databaseUrl });
    const reads: string[] = [];
    const db = harness.services.db;
    const query = db.query.bind(db);
    db.query = ((sql: string, params?: readonly unknown[]) => {
      if (/\bFROM (threads|messages)\b/.test(sql)) reads.push(sql);
      return query(sql, params);
    }) as typeof db.query;
    try {
      const services = createServices(writer, relaxedProtection());
      const registered = await harness.run(REGISTER, { u: 'fan_author', p: 'correct horse', d: 'Fan' });
      const { token, user } = registered.data.register as { token: string; user: { id: string } };
      const listener = await harness.client();
      listener.sendJson({ id: 'all', type: 'subscribe', payload: { query: EVENTS } });
      // The subscription is live once an event created after it arrives.
      const thread = (await harness.run(CREATE_THREAD, { title: 'Fan-out' }, token)).data.createThread.thread as { id: string };
      await listener.next((m) => m.id === 'all');
      reads.length = 0;
      const actor = { userId: user.id, correlationId: 'fan' };
      const first = await postMessage(services, actor, { threadId: thread.id, body: 'first' });
      for (let i = 2; i <= 20; i += 1) await postMessage(services, actor, { threadId: thread.id, body: `reply ${i}`, replyToId: first.message.id });
      await renameThread(services, actor, { threadId: thread.id, title: 'Fanned out' });
      const renamed = (await listener.next((m) => m.id === 'all' && (m.payload as any)?.data?.events?.__typename === 'ThreadRenamed')) as any;
      const delivered = listener.messages.filter((m) => m.id === 'all').map((m) => (m.payload as any).data.events);
      const posts = delivered.filter((e) => e.__typename === 'MessagePosted');
      expect(posts).toHaveLength(20);
      // The thread as it is when the event is delivered (as a read would find it): renamed already, if the rename came in the same poll.
      expect(posts[1].message).toMatchObject({ body: 'reply 2', author: { username: 'fan_author' }, replyTo: { body: 'first' } });
      const counts = posts.map((e: any) => e.message.thread.messageCount as number);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(counts.at(-1)).toBe(20);
      expect(renamed.payload.data.events).toMatchObject({ title: 'Fanned out', thread: { title: 'Fanned out', messageCount: 20 } });
      expect(reads).toEqual([]);
    } finally {
      db.query = query;
      await writer.close();
      await harness.dispose();
    }
  });
});
