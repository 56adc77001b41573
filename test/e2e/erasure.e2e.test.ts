/**
 * Deletion that provably erases, end to end on every store: a message is
 * posted, edited twice and deleted through the API; then none of its three
 * texts is anywhere in the database (every column of every table, the
 * events table first) or in `thrds export`, `thrds verify` passes and counts
 * the erasures, and an erased event tampered with (its data changed, or
 * content put back) fails verify at its position.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openThrds, type Thrds } from '../../src/openThrds.ts';
import { tamper } from '../cli/support/chatLog.ts';
import { runThrds } from '../cli/support/runThrds.ts';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';
import { CREATE_THREAD, POST, signUp, startTestServer } from '../support/server.ts';

const kinds = await storeKinds();

const EDIT = 'mutation ($m: ID!, $b: String!) { editMessage(input: { messageId: $m, body: $b }) { position } }';
const DELETE = 'mutation ($m: ID!) { deleteMessage(input: { messageId: $m, reason: "erase it" }) { position } }';

/** Every value of every row of every table, as text (JSON columns, numbers and blobs alike). */
async function everyTable(db: Database): Promise<Map<string, string>> {
  const names =
    db.dialect === 'sqlite'
      ? (await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r.name)
      : (await db.query<Record<string, string>>('SHOW TABLES')).map((r) => Object.values(r)[0]!);
  const dump = new Map<string, string>();
  for (const name of names) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${name}`);
    dump.set(name, rows.map((row) => Object.values(row).map(asText).join('\u0000')).join('\n'));
  }
  return dump;
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The tables (or the export) that hold any of `texts`. */
function holding(texts: readonly string[], dump: ReadonlyMap<string, string>): string[] {
  return [...dump].filter(([, text]) => texts.some((t) => text.includes(t))).map(([name]) => name);
}

describe.each(kinds)('erasure on %s', (kind) => {
  let database: TestDatabase;
  let thrds: Thrds;
  const marker = randomBytes(6).toString('hex');
  const texts = [`first words ${marker}`, `second thoughts ${marker}`, `last say ${marker}`];
  let messageId: string;
  let postedAt: number;
  let deletedAt: number;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const server = await startTestServer(kind, database);
    try {
      const alice = await signUp(server, 'alice');
      const thread = (await server.ok(CREATE_THREAD, { title: 'To be erased' }, alice.token)).createThread.thread as { id: string };
      await server.ok(POST, { t: thread.id, b: 'a message that stays' }, alice.token);
      const posted = (await server.ok(POST, { t: thread.id, b: texts[0] }, alice.token)).postMessage;
      messageId = posted.message.id;
      postedAt = Number(posted.position);
      await server.ok(EDIT, { m: messageId, b: texts[1] }, alice.token);
      await server.ok(EDIT, { m: messageId, b: texts[2] }, alice.token);
      // The search below can find them: all three are in the events table before the deletion.
      const before = await openThrds({ databaseUrl: database.url });
      try {
        const events = (await everyTable(before.db)).get('events')!;
        for (const text of texts) expect(events).toContain(text);
      } finally {
        await before.close();
      }
      deletedAt = Number((await server.ok(DELETE, { m: messageId }, alice.token)).deleteMessage.position);
    } finally {
      await server.dispose();
    }
    thrds = await openThrds({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await thrds?.close();
    await database.drop();
  });

  it('leaves none of the three texts in any column of any table, the events table included', async () => {
    const dump = await everyTable(thrds.db);
    expect(dump.get('events')).toContain(messageId);
    expect(dump.get('events')).toContain('a message that stays');
    expect(holding(texts, dump)).toEqual([]);
  });

  it('leaves none of them in `thrds export`, which still holds every event, the erased ones with null content', async () => {
    const run = await runThrds(['export', '--database-url', database.url, '--quiet']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { position: string; type: string; content?: unknown });
    expect(lines).toHaveLength((await thrds.store.head()).position);
    expect(holding(texts, new Map([['export', run.stdout]]))).toEqual([]);
    const erased = lines.filter((line) => line.content === null);
    expect(erased.map((line) => line.type)).toEqual(['MessagePosted', 'MessageEdited', 'MessageEdited']);
    expect(lines.find((line) => Number(line.position) === deletedAt)?.type).toBe('MessageDeleted');
  });

  it('passes `thrds verify`, which reports three events with erased content and one that erased them', async () => {
    const run = await runThrds(['verify', '--database-url', database.url, '--json', '--quiet']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, erasures: { erased: 3, erasing: 1 } });
    const text = await runThrds(['verify', '--database-url', database.url, '--quiet']);
    expect(text.stdout).toMatch(/^ok: \d+ events verified/);
    expect(text.stdout).toContain('erasures: 3 events carry erased content, erased by 1 event');
  });

  it('fails `thrds verify` at the erased event once content is put back into it, or its data is changed', async () => {
    const forged = JSON.stringify({ fields: { body: 'forged words' }, salt: '0'.repeat(32) });
    await tamper(thrds.db);
    await thrds.db.execute('UPDATE events SET content = ? WHERE position = ?', [forged, postedAt]);
    const refilled = await runThrds(['verify', '--database-url', database.url, '--json', '--quiet']);
    expect(refilled.code).toBe(1);
    expect(JSON.parse(refilled.stdout)).toMatchObject({ ok: false, finding: { position: postedAt } });

    await thrds.db.execute('UPDATE events SET content = NULL WHERE position = ?', [postedAt]);
    expect((await runThrds(['verify', '--database-url', database.url, '--quiet'])).code).toBe(0);

    await thrds.db.execute("UPDATE events SET data = REPLACE(data, 'markdown', 'plain') WHERE position = ?", [postedAt]);
    const edited = await runThrds(['verify', '--database-url', database.url, '--json', '--quiet']);
    expect(edited.code).toBe(1);
    expect(JSON.parse(edited.stdout)).toMatchObject({ ok: false, finding: { kind: 'edited', position: postedAt } });
  });
});
