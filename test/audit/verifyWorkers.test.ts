/**
 * `thrds verify` on worker threads (logWorkers.ts) must come to exactly what
 * one walk on the calling thread comes to, on every store: the same count,
 * erasure counts, files and first finding, for an untouched log and for
 * every way of tampering with it, with stretches so short (1 and 3
 * events) that every kind of damage lands on a seam between two of them.
 * Plus what only the walk on workers meets: content erased while it runs,
 * and a store the workers cannot open.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttachmentRefs } from '../../src/audit/attachmentRefs.ts';
import { exportLog } from '../../src/audit/exportLog.ts';
import { importLog } from '../../src/audit/importLog.ts';
import { verifyLog, type VerifyResult } from '../../src/audit/verifyLog.ts';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { SqlEventStore } from '../../src/events/sqlEventStore.ts';
import { streamOf } from '../../src/events/types.ts';
import { messageContentKey, newEvent } from '../../src/modules/eventModule.ts';
import { upcast } from '../../src/modules/index.ts';
import { messageDeleted } from '../../src/modules/messageDeleted.ts';
import { messagePosted } from '../../src/modules/messagePosted.ts';
import { createTestDatabase, storeKinds, type StoreKind, type TestDatabase } from '../support/databases.ts';
import { systemMetadata } from '../support/thrds.ts';
import { seedChat } from '../cli/support/chatLog.ts';

const kinds = await storeKinds();

interface Opened {
  readonly database: TestDatabase;
  readonly db: Database;
}

async function* linesOf(text: string): AsyncIterable<string> {
  yield* text.split('\n');
}

/** What a walk found, with the files it gathered, comparable with toEqual. */
async function walked(db: Database, parallel?: { url: string; stretchSize: number }): Promise<{ result: VerifyResult; files: unknown[]; attachments: number }> {
  const files = new AttachmentRefs();
  const result = await verifyLog(db, { files, ...(parallel ? { parallel: { ...parallel, workers: 2 } } : {}) });
  return { result, files: [...files], attachments: files.attachments };
}

describe.each(kinds)('verify on worker threads on %s', (kind: StoreKind) => {
  const opened: Opened[] = [];
  let exportText: string;
  /** Positions in the seeded log worth tampering with. */
  let at: { head: number; plainMessage: number; live: number; erased: number; deletion: number };

  async function openStore(): Promise<Opened> {
    const database = await createTestDatabase(kind);
    const db = await openDatabase(database.url);
    await migrate(db);
    const store = { database, db };
    opened.push(store);
    return store;
  }

  /** A fresh copy of the seeded log. */
  async function copy(): Promise<Opened> {
    const store = await openStore();
    await importLog(store.db, linesOf(exportText));
    return store;
  }

  beforeAll(async () => {
    const { db } = await openStore();
    const store = new SqlEventStore(db, { upcast });
    // Users, threads, messages of both old schemas, and conversations: edits, reactions, deletions that erase, files.
    await seedChat(store, { users: 3, threads: 3, messages: 9, v1Every: 3, conversations: 8 });
    await store.drain();
    const lines: string[] = [];
    await exportLog(db, { line: (text) => void lines.push(text), flush: async () => undefined });
    exportText = lines.map((l) => `${l}\n`).join('');
    const rows = await db.query<{ position: number | string; type: string; content: string | null; erasure_key: string | null; data: string | object }>(
      'SELECT position, type, content, erasure_key, data FROM events ORDER BY position',
    );
    const position = (row: { position: number | string } | undefined) => Number(row!.position);
    const dataText = (row: { data: string | object }) => (typeof row.data === 'string' ? row.data : JSON.stringify(row.data));
    at = {
      head: rows.length,
      plainMessage: position(rows.find((r) => r.type === 'MessagePosted' && dataText(r).includes('message 4 '))),
      live: position(rows.findLast((r) => r.type === 'MessagePosted' && r.content !== null)),
      erased: position(rows.find((r) => r.type === 'MessagePosted' && r.erasure_key !== null && r.content === null)),
      deletion: position(rows.find((r) => r.type === 'MessageDeleted')),
    };
    expect(at.head).toBeGreaterThan(40);
    expect(at.erased).toBeLessThan(at.deletion);
  });

  afterAll(async () => {
    for (const { db, database } of opened) {
      await db.close();
      await database.drop();
    }
  });

  const damage: ReadonlyArray<readonly [string, (db: Database) => Promise<unknown>]> = [
    ['nothing', async () => undefined],
    ['a message body edited', (db) => db.execute("UPDATE events SET data = REPLACE(data, 'message 4 ', 'message 5 ') WHERE position = ?", [at.plainMessage])],
    ['an event deleted', (db) => db.execute('DELETE FROM events WHERE position = ?', [at.plainMessage])],
    ['the first event deleted', (db) => db.execute('DELETE FROM events WHERE position = 1')],
    ['the last event deleted', (db) => db.execute('DELETE FROM events WHERE position = ?', [at.head])],
    ['four events in a row deleted', (db) => db.execute('DELETE FROM events WHERE position BETWEEN ? AND ?', [at.plainMessage, at.plainMessage + 3])],
    ['a stored hash replaced', (db) => db.execute(`UPDATE events SET hash = '${'ab'.repeat(32)}' WHERE position = ?`, [at.plainMessage])],
    [
      'two events swapped',
      async (db) => {
        await db.execute('UPDATE events SET position = 1000000 WHERE position = 12');
        await db.execute('UPDATE events SET position = 12 WHERE position = 30');
        await db.execute('UPDATE events SET position = 30 WHERE position = 1000000');
      },
    ],
    ['the content of a live message changed', (db) => db.execute(`UPDATE events SET content = '{"fields":{"body":"forged"},"salt":"${'0'.repeat(32)}"}' WHERE position = ?`, [at.live])],
    ['a live message erased with no deletion', (db) => db.execute('UPDATE events SET content = NULL WHERE position = ?', [at.live])],
    [
      'erased content put back',
      async (db) => {
        const [live] = await db.query<{ content: string }>('SELECT content FROM events WHERE position = ?', [at.live]);
        await db.execute('UPDATE events SET content = ? WHERE position = ?', [live!.content, at.erased]);
      },
    ],
    ['the head row pointing past the log', (db) => db.execute('UPDATE log_head SET position = position + 2 WHERE id = 1')],
    ['the head row holding another hash', (db) => db.execute(`UPDATE log_head SET hash = '${'cd'.repeat(32)}' WHERE id = 1`)],
  ];

  for (const [what, tamper] of damage) {
    it(`finds what one walk finds with ${what}, whatever the stretches`, async () => {
      const { db, database } = await copy();
      await db.exec('DROP TRIGGER IF EXISTS events_are_append_only_update');
      await db.exec('DROP TRIGGER IF EXISTS events_are_append_only_delete');
      await tamper(db);
      const alone = await walked(db);
      if (what === 'nothing') expect(alone.result.finding).toBeUndefined();
      else expect(alone.result.finding).toBeDefined();
      for (const stretchSize of [1, 3]) {
        expect({ stretchSize, ...(await walked(db, { url: database.url, stretchSize })) }).toEqual({ stretchSize, ...alone });
      }
    });
  }

  it('counts content erased while the walk runs as erased by its deletion, appended past the head it walks to', async () => {
    const { db, database } = await copy();
    const store = new SqlEventStore(db, { upcast });
    const [row] = await db.query<{ data: string | object }>('SELECT data FROM events WHERE position = ?', [at.live]);
    const { messageId, threadId } = (typeof row!.data === 'string' ? JSON.parse(row!.data) : row!.data) as { messageId: string; threadId: string };
    let deleted = false;
    const result = await verifyLog(db, {
      parallel: { url: database.url, workers: 2, stretchSize: 1 },
      // After the first stretch (the live message's is many stretches on), the message is deleted: its content erased.
      onProgress: async () => {
        if (deleted) return;
        deleted = true;
        await store.append({
          streamId: streamOf.thread(threadId),
          events: [newEvent(messageDeleted, { messageId, threadId, reason: null, erases: messageContentKey(messageId) })],
          metadata: systemMetadata,
        });
      },
    });
    const [after] = await db.query<{ content: string | null }>('SELECT content FROM events WHERE position = ?', [at.live]);
    expect(after!.content).toBeNull();
    expect(result.finding).toBeUndefined();
    expect(result.count).toBe(at.head);
    // One walk now (the deletion in the log) agrees.
    expect((await verifyLog(db)).finding).toBeUndefined();
  });

  it('still calls erased content with no deletion anywhere in the log unauthorised', async () => {
    const { db, database } = await copy();
    const store = new SqlEventStore(db, { upcast });
    // Something appended past the head while the walk runs, but no erasure of that message.
    const threadId = randomUUID();
    await db.exec('DROP TRIGGER IF EXISTS events_are_append_only_update');
    await db.execute('UPDATE events SET content = NULL WHERE position = ?', [at.live]);
    let appended = false;
    const result = await verifyLog(db, {
      parallel: { url: database.url, workers: 2, stretchSize: 3 },
      onProgress: async () => {
        if (appended) return;
        appended = true;
        await store.append({ streamId: streamOf.thread(threadId), events: [{ type: 'ThreadCreated', data: { threadId, title: 'meanwhile' } }], metadata: systemMetadata });
        await store.append({
          streamId: streamOf.thread(threadId),
          events: [newEvent(messagePosted, { messageId: randomUUID(), threadId, body: 'meanwhile', replyToId: null, format: 'plain', attachments: [] })],
          metadata: systemMetadata,
        });
      },
    });
    expect(result.finding).toMatchObject({ kind: 'unauthorised-erasure', position: at.live });
  });

  it('fails with the reason, and leaves no thread behind, when the workers cannot open the store', async () => {
    const { db, database } = await copy();
    const wrong = kind === 'sqlite' ? `sqlite:/tmp/thrds-no-such-dir-${randomUUID()}/none.db` : `${database.url}_no_such_database`;
    await expect(verifyLog(db, { parallel: { url: wrong, workers: 2, stretchSize: 5 } })).rejects.toThrow(/./);
    // The calling thread's store still answers.
    expect((await verifyLog(db)).count).toBe(at.head);
  });
});
