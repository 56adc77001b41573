/**
 * The log feed and a local commit that lands while one of its reads is
 * under way: the read may have been sent before the commit and miss it;
 * the feed must still have the commit as soon as that read ends, not at the
 * next poll. A real store on SQLite; only the read's answer is held back.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { LogFeed, type FeedSource } from '../../src/events/logFeed.ts';
import { SqlEventStore } from '../../src/events/sqlEventStore.ts';
import { streamOf } from '../../src/events/types.ts';
import { newEvent } from '../../src/modules/eventModule.ts';
import { messagePosted } from '../../src/modules/messagePosted.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { systemMetadata } from '../support/thrds.ts';
import { waitFor } from '../support/waitFor.ts';

describe('the log feed with a read under way', () => {
  let database: TestDatabase;
  let db: Database;
  let store: SqlEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    db = await openDatabase(database.url);
    await migrate(db);
    store = new SqlEventStore(db);
  });

  afterAll(async () => {
    await store.drain();
    await db.close();
    await database.drop();
  });

  it('has a local commit told during a read as soon as the read ends, without waiting for the next poll', async () => {
    let held: { release: () => void; answered: Promise<void> } | undefined;
    let readStarted = (): void => undefined;
    const source: FeedSource = {
      onCommitted: (listener) => store.onCommitted(listener),
      head: () => store.head(),
      // The read is answered from the log as it stood before the commit, then held until released.
      readAll: async (options) => {
        const rows = await store.readAll(options);
        readStarted();
        if (held) await held.answered;
        return rows;
      },
    };
    // No poll within the test: only the held read and the commit can bring the event.
    const feed = await LogFeed.start(source, { pollMs: 3_600_000 });
    try {
      let release!: () => void;
      held = { release: () => release(), answered: new Promise<void>((resolve) => (release = resolve)) };
      const reading = new Promise<void>((resolve) => (readStarted = resolve));
      feed.poke();
      await reading;
      const threadId = randomUUID();
      const posted = await store.append({
        streamId: streamOf.thread(threadId),
        events: [newEvent(messagePosted, { messageId: randomUUID(), threadId, body: 'during a read', replyToId: null, format: 'plain', attachments: [] })],
        metadata: systemMetadata,
      });
      expect(feed.head).toBeLessThan(posted.lastPosition);
      held.release();
      await waitFor(() => feed.head >= posted.lastPosition, { what: 'the feed to have the commit told during its read', timeoutMs: 10_000 });
      const [event] = await feed.subscribe(posted.firstPosition - 1).pull();
      expect(event?.data).toMatchObject({ body: 'during a read' });
    } finally {
      held?.release();
      await feed.stop();
    }
  });
});
