/**
 * The log feed and a local commit that lands while one of its reads is
 * under way: the read may have been sent before the commit and miss it.
 * A commit that follows the feed's head is taken at once; one that does not
 * (another process committed before it) is looked at again when the read
 * ends, not left to the next poll. A real store on SQLite (and a second
 * store on the same file as the other process); only the read's answer is
 * held back.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import type { AppendRequest } from '../../src/events/eventStore.ts';
import { LogFeed, type FeedSource } from '../../src/events/logFeed.ts';
import { SqlEventStore } from '../../src/events/sqlEventStore.ts';
import { streamOf } from '../../src/events/types.ts';
import { newEvent } from '../../src/modules/eventModule.ts';
import { messagePosted } from '../../src/modules/messagePosted.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { systemMetadata } from '../support/thrds.ts';
import { waitFor } from '../support/waitFor.ts';

function aPost(body: string): AppendRequest {
  const threadId = randomUUID();
  return {
    streamId: streamOf.thread(threadId),
    events: [newEvent(messagePosted, { messageId: randomUUID(), threadId, body, replyToId: null, format: 'plain', attachments: [] })],
    metadata: systemMetadata,
  };
}

describe('the log feed with a read under way', () => {
  let database: TestDatabase;
  let db: Database;
  let otherDb: Database;
  let store: SqlEventStore;
  /** Another process's store on the same log: its commits reach the feed only by reading. */
  let other: SqlEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    db = await openDatabase(database.url);
    await migrate(db);
    store = new SqlEventStore(db);
    otherDb = await openDatabase(database.url);
    other = new SqlEventStore(otherDb);
  });

  afterAll(async () => {
    await store.drain();
    await other.drain();
    await otherDb.close();
    await db.close();
    await database.drop();
  });

  /** A feed on `store` (no poll within a test) and a read of it that is answered now but held until `release`. */
  async function feedWithHeldRead(beforeRead: () => Promise<unknown> = async () => undefined): Promise<{ feed: LogFeed; release: () => void }> {
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    let readStarted = (): void => undefined;
    const source: FeedSource = {
      onCommitted: (listener) => store.onCommitted(listener),
      head: () => store.head(),
      readAll: async (options) => {
        const rows = await store.readAll(options);
        if (holding) {
          holding = false;
          readStarted();
          await answered;
        }
        return rows;
      },
    };
    const feed = await LogFeed.start(source, { pollMs: 3_600_000 });
    const reading = new Promise<void>((resolve) => (readStarted = resolve));
    await beforeRead();
    holding = true;
    feed.poke();
    await reading;
    return { feed, release };
  }

  it('takes a local commit that follows its head at once, while the read is still out', async () => {
    const { feed, release } = await feedWithHeldRead();
    try {
      const posted = await store.append(aPost('during a read'));
      await waitFor(() => feed.head >= posted.lastPosition, { what: 'the feed to have the commit told during its read' });
      const [event] = await feed.subscribe(posted.firstPosition - 1).pull();
      expect(event?.data).toMatchObject({ body: 'during a read' });
      // The read's answer, from before the commit, moves nothing back.
      release();
      await feed.stop();
      expect(feed.head).toBe(posted.lastPosition);
    } finally {
      release();
      await feed.stop();
    }
  });

  it('reads again when the read ends, for a local commit that came after another process’s', async () => {
    const { feed, release } = await feedWithHeldRead();
    try {
      const theirs = await other.append(aPost('from another process'));
      const ours = await store.append(aPost('ours, after theirs'));
      expect(ours.firstPosition).toBe(theirs.lastPosition + 1);
      expect(feed.head).toBeLessThan(theirs.firstPosition);
      release();
      await waitFor(() => feed.head >= ours.lastPosition, { what: 'the feed to read both commits once its read ended' });
      const events = await feed.subscribe(theirs.firstPosition - 1).pull();
      expect(events.map((e) => e.data.body)).toEqual(['from another process', 'ours, after theirs']);
    } finally {
      release();
      await feed.stop();
    }
  });

  it('never moves past a commit of another process that sits between two held local ones', async () => {
    // The held read sees another process's first commit, not its second.
    let first!: Awaited<ReturnType<SqlEventStore['append']>>;
    const { feed, release } = await feedWithHeldRead(async () => (first = await other.append(aPost('theirs, first'))));
    const seen: number[] = [];
    feed.onAdvance((events) => seen.push(...events.map((e) => e.position)));
    try {
      const ours1 = await store.append(aPost('ours 1'));
      const theirs = await other.append(aPost('theirs, between'));
      const ours2 = await store.append(aPost('ours 2'));
      expect([ours1.firstPosition, theirs.firstPosition, ours2.firstPosition]).toEqual([first.lastPosition + 1, first.lastPosition + 2, first.lastPosition + 3]);
      release();
      await waitFor(() => feed.head >= ours2.lastPosition, { what: 'the feed to have all four commits' });
      const events = await feed.subscribe(first.firstPosition - 1).pull();
      expect(events.map((e) => e.data.body)).toEqual(['theirs, first', 'ours 1', 'theirs, between', 'ours 2']);
      // Every position told to listeners once, in order, none skipped.
      const told = seen.filter((p) => p >= first.firstPosition);
      expect(told).toEqual([first.firstPosition, ours1.firstPosition, theirs.firstPosition, ours2.firstPosition]);
    } finally {
      release();
      await feed.stop();
    }
  });
});
