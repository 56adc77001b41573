/**
 * Proving an erasure, on every store: a log with a message posted, edited
 * twice and deleted verifies (with its erasures counted), exports without
 * any of the texts, imports back (digests checked, erasures recorded) and
 * exports again byte for byte; every way of tampering with an erased event
 * fails verify at its position, and import refuses it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLog } from '../../src/audit/exportLog.ts';
import { importLog } from '../../src/audit/importLog.ts';
import { verifyLog } from '../../src/audit/verifyLog.ts';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import type { AppendRequest } from '../../src/events/eventStore.ts';
import { SqlEventStore } from '../../src/events/sqlEventStore.ts';
import { streamOf } from '../../src/events/types.ts';
import { messageContentKey, newEvent } from '../../src/modules/eventModule.ts';
import { upcast } from '../../src/modules/index.ts';
import { messageDeleted } from '../../src/modules/messageDeleted.ts';
import { messageEdited } from '../../src/modules/messageEdited.ts';
import { messagePosted } from '../../src/modules/messagePosted.ts';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';
import { systemMetadata } from '../support/thrds.ts';
import { runThrds } from '../cli/support/runThrds.ts';

const kinds = await storeKinds();

const erasedTexts = ['posted: aardvark-1105', 'edited once: bumblebee-2210', 'edited twice: chinchilla-3315'];
const keptText = 'still here: dromedary-4420';
const legacyText = 'from before erasable content: echidna-5525';

interface Opened {
  readonly database: TestDatabase;
  readonly db: Database;
}

async function openStore(kind: 'sqlite' | 'mariadb', opened: Opened[]): Promise<Database> {
  const database = await createTestDatabase(kind);
  const db = await openDatabase(database.url);
  await migrate(db);
  opened.push({ database, db });
  return db;
}

/** Positions of the log seeded below. */
const at = { posted: 2, edited: [3, 4], deleted: 5, kept: 6, legacy: 7, legacyDeleted: 8, head: 8 } as const;

/** A thread with a message posted, edited twice and deleted, one message kept, and one MessagePosted v2 (text in the hashed data) deleted. */
async function seed(db: Database): Promise<void> {
  const store = new SqlEventStore(db, { upcast });
  const threadId = randomUUID();
  const streamId = streamOf.thread(threadId);
  const append = (event: AppendRequest['events'][number]) => store.append({ streamId, events: [event], metadata: systemMetadata });
  const [m, kept, legacy] = [randomUUID(), randomUUID(), randomUUID()];
  await append({ type: 'ThreadCreated', data: { threadId, title: 'a thread' } });
  await append(newEvent(messagePosted, { messageId: m, threadId, body: erasedTexts[0]!, replyToId: null, format: 'plain', attachments: [] }));
  await append(newEvent(messageEdited, { messageId: m, threadId, body: erasedTexts[1]! }));
  await append(newEvent(messageEdited, { messageId: m, threadId, body: erasedTexts[2]! }));
  await append(newEvent(messageDeleted, { messageId: m, threadId, reason: null, erases: messageContentKey(m) }));
  await append(newEvent(messagePosted, { messageId: kept, threadId, body: keptText, replyToId: null, format: 'plain', attachments: [] }));
  await append({ type: 'MessagePosted', schemaVersion: 2, data: { messageId: legacy, threadId, body: legacyText, replyToId: null, format: 'plain' } });
  // Migration 006 gave the messages already stored their key; a v2 append today gets none, so set it as the migration would.
  await dropTriggers(db);
  await db.execute('UPDATE events SET erasure_key = ? WHERE position = ?', [messageContentKey(legacy), at.legacy]);
  await restoreUpdateTrigger(db);
  await append(newEvent(messageDeleted, { messageId: legacy, threadId, reason: null, erases: messageContentKey(legacy) }));
  await store.drain();
}

async function dropTriggers(db: Database): Promise<void> {
  await db.exec('DROP TRIGGER IF EXISTS events_are_append_only_update');
}

/** Puts back a trigger that refuses nothing but a change of the hash, enough for the seed (tampering tests drop it for good). */
async function restoreUpdateTrigger(db: Database): Promise<void> {
  if (db.dialect === 'sqlite') {
    await db.exec(
      "CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events WHEN NEW.hash IS NOT OLD.hash BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    );
  } else {
    await db.exec(
      "CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events FOR EACH ROW IF NOT (NEW.hash <=> OLD.hash) THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'events are append-only'; END IF",
    );
  }
}

async function exported(db: Database): Promise<string> {
  const lines: string[] = [];
  await exportLog(db, { line: (text) => void lines.push(text), flush: async () => undefined });
  return lines.map((l) => `${l}\n`).join('');
}

async function* linesOf(text: string): AsyncIterable<string> {
  yield* text.split('\n');
}

describe.each(kinds)('erasures in verify, export and import on %s', (kind) => {
  const opened: Opened[] = [];
  let source: Database;
  let exportText: string;

  beforeAll(async () => {
    source = await openStore(kind, opened);
    await seed(source);
    exportText = await exported(source);
  });
  afterAll(async () => {
    for (const { db, database } of opened) {
      await db.close();
      await database.drop();
    }
  });

  it('verifies a log with erased content, and counts the erased events, the erasing ones and the legacy one it had to keep', async () => {
    const result = await verifyLog(source);
    expect(result).toEqual({ count: at.head, head: expect.objectContaining({ position: at.head }), erasures: { erased: 3, erasing: 2, unerasable: 1 } });
  });

  it('prints the erasures with `thrds verify`, as text and as JSON', async () => {
    const url = opened[0]!.database.url;
    const text = await runThrds(['verify', '--db', url, '--quiet']);
    expect(text.stdout).toContain('erasures: 3 events carry erased content, erased by 2 events; 1 deleted message event from before erasable content keep');
    expect(text.code).toBe(0);
    const json = await runThrds(['verify', '--db', url, '--json', '--quiet']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, count: at.head, erasures: { erased: 3, erasing: 2, unerasable: 1 } });
  });

  it('exports erased events with "content": null and none of their texts, and live ones with their content', () => {
    for (const text of erasedTexts) expect(exportText).not.toContain(text.split(': ')[1]);
    const lines = exportText.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => 'content' in l).map((l) => [l.position, l.content === null])).toEqual([
      ['2', true],
      ['3', true],
      ['4', true],
      ['6', false],
    ]);
    expect(lines[at.kept - 1]!.content).toMatchObject({ fields: { body: keptText } });
    // The key order of the format: content follows data.
    expect(Object.keys(lines[at.posted - 1]!)).toEqual(['position', 'eventId', 'streamId', 'streamVersion', 'type', 'schemaVersion', 'data', 'content', 'metadata', 'recordedAt', 'hash']);
  });

  it('imports the export (content, keys and erasures recorded), verifies it the same, and exports it again byte for byte', async () => {
    const target = await openStore(kind, opened);
    const head = await importLog(target, linesOf(exportText));
    expect(head.position).toBe(at.head);
    expect((await verifyLog(target)).erasures).toEqual({ erased: 3, erasing: 2, unerasable: 1 });
    expect(await exported(target)).toBe(exportText);
    const erasures = await target.query<{ erasure_key: string; position: number | string }>('SELECT erasure_key, position FROM erasures ORDER BY position');
    expect(erasures.map((e) => Number(e.position))).toEqual([at.deleted, at.legacyDeleted]);
    const keys = await target.query<{ position: number | string; erasure_key: string | null }>('SELECT position, erasure_key FROM events ORDER BY position');
    const sourceKeys = await source.query<{ position: number | string; erasure_key: string | null }>('SELECT position, erasure_key FROM events ORDER BY position');
    expect(keys.map((k) => k.erasure_key)).toEqual(sourceKeys.map((k) => k.erasure_key));
    // A new edit of the deleted message is refused on the imported store too.
    const [deletion] = await target.query<{ data: string }>('SELECT data FROM events WHERE position = ?', [at.deleted]);
    const erased = JSON.parse(String(typeof deletion!.data === 'string' ? deletion!.data : JSON.stringify(deletion!.data))) as { messageId: string; threadId: string };
    const store = new SqlEventStore(target, { upcast });
    await expect(
      store.append({ streamId: streamOf.thread(erased.threadId), events: [newEvent(messageEdited, { ...erased, body: 'back?' })], metadata: systemMetadata }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  describe('tampering', () => {
    const tampered: ReadonlyArray<[string, string, readonly unknown[], { kind: string; position: number }]> = [
      ['the content of a live message changed', 'UPDATE events SET content = ? WHERE position = ?', [`{"fields":{"body":"forged"},"salt":"${'0'.repeat(32)}"}`, at.kept], { kind: 'edited', position: at.kept }],
      ['the content of a live message erased with no deletion', 'UPDATE events SET content = NULL WHERE position = ?', [at.kept], { kind: 'unauthorised-erasure', position: at.kept }],
      ['the data of an erased event changed', "UPDATE events SET data = REPLACE(data, '\"body\"', '\"text\"') WHERE position = ?", [at.posted], { kind: 'edited', position: at.posted }],
      ['content put into an event that has none', `UPDATE events SET content = '{"fields":{},"salt":"x"}' WHERE position = ?`, [1], { kind: 'edited', position: 1 }],
      ['the erasure key of a live message changed', "UPDATE events SET erasure_key = 'message:elsewhere' WHERE position = ?", [at.kept], { kind: 'edited', position: at.kept }],
    ];
    for (const [what, sql, params, finding] of tampered) {
      it(`fails verify for ${what}, at its position`, async () => {
        const db = await openStore(kind, opened);
        await importLog(db, linesOf(exportText));
        await db.exec('DROP TRIGGER events_are_append_only_update');
        expect((await db.execute(sql, params)).affectedRows).toBe(1);
        expect((await verifyLog(db)).finding).toMatchObject(finding);
      });
    }

    it('fails verify when erased content is put back, though it matches its digest: the later deletion tells', async () => {
      const db = await openStore(kind, opened);
      const store = new SqlEventStore(db, { upcast });
      const [threadId, messageId] = [randomUUID(), randomUUID()];
      const streamId = streamOf.thread(threadId);
      const posted = await store.append({ streamId, events: [newEvent(messagePosted, { messageId, threadId, body: 'was it?', replyToId: null, format: 'plain', attachments: [] })], metadata: systemMetadata });
      const [row] = await db.query<{ content: string }>('SELECT content FROM events WHERE position = ?', [posted.firstPosition]);
      await store.append({ streamId, events: [newEvent(messageDeleted, { messageId, threadId, reason: null, erases: messageContentKey(messageId) })], metadata: systemMetadata });
      expect((await verifyLog(db)).finding).toBeUndefined();
      await db.exec('DROP TRIGGER events_are_append_only_update');
      await db.execute('UPDATE events SET content = ? WHERE position = ?', [row!.content, posted.firstPosition]);
      expect((await verifyLog(db)).finding).toMatchObject({ kind: 'not-erased', position: posted.firstPosition });
    });

    it('refuses to import a line whose content does not match its digest, or whose content was erased by no later event', async () => {
      const lines = exportText.trimEnd().split('\n');
      const forged = lines.map((l, i) => (i === at.kept - 1 ? l.replace(keptText, 'forged') : l)).join('\n');
      await expect(importLog(await openStore(kind, opened), linesOf(forged))).rejects.toMatchObject({ finding: { kind: 'edited', position: at.kept } });
      const erasedAlone = lines.map((l, i) => (i === at.kept - 1 ? l.replace(/"content":\{[^}]*\}[^}]*\}/, '"content":null') : l)).join('\n');
      expect(erasedAlone).not.toContain(keptText);
      await expect(importLog(await openStore(kind, opened), linesOf(erasedAlone))).rejects.toMatchObject({
        finding: { kind: 'unauthorised-erasure', position: at.kept },
      });
      const withoutContent = lines.map((l, i) => (i === at.posted - 1 ? l.replace('"content":null,', '') : l)).join('\n');
      await expect(importLog(await openStore(kind, opened), linesOf(withoutContent))).rejects.toThrow(/line 2: an event with erasable data needs "content"/);
    });
  });
});
