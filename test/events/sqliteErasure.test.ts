/**
 * Erased means gone from the disk, not only from the rows: on a file-backed
 * SQLite store, once a deletion has committed and the WAL has been emptied
 * (the store does it after every erasing commit), neither the database
 * file nor the WAL holds a byte of the texts (secure_delete zeroes what
 * the UPDATE frees).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { SqlEventStore } from '../../src/events/sqlEventStore.ts';
import { streamOf } from '../../src/events/types.ts';
import { messageContentKey, newEvent } from '../../src/modules/eventModule.ts';
import { upcast } from '../../src/modules/index.ts';
import { messageDeleted } from '../../src/modules/messageDeleted.ts';
import { messageEdited } from '../../src/modules/messageEdited.ts';
import { messagePosted } from '../../src/modules/messagePosted.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { systemMetadata } from '../support/thrds.ts';

/** A short post, a short edit, and a long edit whose text spills into overflow pages (freed whole when erased). */
const texts = ['the first draft: quetzalcoatl-7731 ✓', 'the second: zygomorphic-4412 ünïcödé', `the last: 🦜 ${'xylophone-9981 '.repeat(800)}`];
/** What to look for: a text in a page, or a piece of one split across overflow pages. */
const needles = ['the first draft: quetzalcoatl-7731 ✓', 'the second: zygomorphic-4412 ünïcödé', 'xylophone-9981 xylophone-9981'];

function filesOf(url: string): { db: string; wal: string } {
  const path = url.slice('sqlite:'.length);
  return { db: path, wal: `${path}-wal` };
}

/** Which of the texts a file's bytes hold (utf-8). */
function textsIn(file: string): string[] {
  if (!existsSync(file)) return [];
  const bytes = readFileSync(file);
  return needles.filter((needle) => bytes.includes(Buffer.from(needle, 'utf8')));
}

describe('erasure on a file-backed SQLite store', () => {
  let database: TestDatabase | undefined;
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    await database?.drop();
  });

  async function aStoreWithAMessage(): Promise<{ store: SqlEventStore; files: { db: string; wal: string }; deletion: () => Promise<void> }> {
    database = await createTestDatabase('sqlite');
    db = await openDatabase(database.url);
    await migrate(db);
    const store = new SqlEventStore(db, { upcast });
    const threadId = randomUUID();
    const messageId = randomUUID();
    const streamId = streamOf.thread(threadId);
    const append = (event: Parameters<typeof store.append>[0]['events'][number]) => store.append({ streamId, events: [event], metadata: systemMetadata });
    // Neighbours before and after, so the message shares its pages with text that stays.
    for (let i = 0; i < 30; i += 1) await append(newEvent(messagePosted, { messageId: randomUUID(), threadId, body: `filler ${i} `.repeat(20), replyToId: null, format: 'plain', attachments: [] }));
    await append(newEvent(messagePosted, { messageId, threadId, body: texts[0]!, replyToId: null, format: 'plain', attachments: [] }));
    await append(newEvent(messageEdited, { messageId, threadId, body: texts[1]! }));
    await append(newEvent(messageEdited, { messageId, threadId, body: texts[2]! }));
    for (let i = 0; i < 30; i += 1) await append(newEvent(messagePosted, { messageId: randomUUID(), threadId, body: `later ${i} `.repeat(20), replyToId: null, format: 'plain', attachments: [] }));
    const files = filesOf(database.url);
    return {
      store,
      files,
      deletion: async () => {
        await append(newEvent(messageDeleted, { messageId, threadId, reason: null, erases: messageContentKey(messageId) }));
      },
    };
  }

  it('leaves none of the texts of a message, its post and both edits, in the database file or the WAL once deleted', async () => {
    const { store, files, deletion } = await aStoreWithAMessage();
    // The texts are on disk before: the check can fail.
    expect(new Set([...textsIn(files.db), ...textsIn(files.wal)])).toEqual(new Set(needles));
    await deletion();
    await store.walScrubbed();
    expect(textsIn(files.db)).toEqual([]);
    expect(textsIn(files.wal)).toEqual([]);
    // The neighbours are still there.
    expect(readFileSync(files.db).includes(Buffer.from('later 29 later 29'))).toBe(true);
  });

  it('empties the WAL once a reader that held it during the deletion lets go', async () => {
    const { store, files, deletion } = await aStoreWithAMessage();
    // A streaming read holds its snapshot (and so the WAL) open while it is iterated.
    const reading = db!.stream('SELECT position FROM events ORDER BY position')[Symbol.asyncIterator]();
    await reading.next();
    await deletion();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await reading.return?.();
    await store.walScrubbed();
    expect(textsIn(files.db)).toEqual([]);
    expect(textsIn(files.wal)).toEqual([]);
  });
});
