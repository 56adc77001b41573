/**
 * `thrds export` has SQLite write its lines (lineSql.ts) and puts
 * MariaDB's together from the stored bytes (lineBytes.ts); lineFromRow is
 * what a line must be. On every store, rows chosen to trip either (every
 * ASCII character in the string columns, a hash that needs escaping,
 * erased and kept content, a nested "erasable" key, instants before 1970
 * and after 9999, stored JSON spread over lines, text beyond ASCII) export
 * exactly as lineFromRow writes them, through a LineWriter whose chunks are
 * shorter than some lines and through a sink that takes text, and the
 * export stops at the head and starts after `after`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { exportLog } from '../../src/audit/exportLog.ts';
import { LineWriter } from '../../src/cli/output.ts';
import { lineFromRow } from '../../src/audit/eventLine.ts';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { valuesList } from '../../src/db/sqlFragments.ts';
import { EVENT_COLUMN_COUNT, EVENT_COLUMNS, type EventRow } from '../../src/events/eventRows.ts';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';

const kinds = await storeKinds();

const ASCII = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
const HASH = 'ab'.repeat(32);
const ERASABLE = { key: 'message:m1', fields: ['body'], digest: 'cd'.repeat(32) };

type Row = [streamId: string, type: string, data: string, metadata: string, recordedAt: number, content: string | null, erasureKey?: string];

/** Rows to export; positions and versions follow. */
function awkwardRows(kind: 'sqlite' | 'mariadb'): Row[] {
  const plain = '{"threadId":"t1","title":"naïve \\"quoted\\" \u2028 😀"}';
  const meta = '{"actorId":null}';
  // Every ASCII character in a string column, a few at a time (NUL on its own: SQLite keeps it in a string).
  const withAscii = [];
  for (let i = 1; i < 128; i += 16) withAscii.push([`s-${ASCII.slice(i, i + 16).join('')}`, `T${ASCII.slice(i, i + 16).join('')}`.slice(0, 64), plain, meta, 1_733_000_000_000 + i, null] as const);
  const rows: Row[] = [
    ['thread-1', 'ThreadCreated', plain, meta, 1_733_000_000_001, null],
    ...withAscii.map((r): Row => [...r]),
    ['s-nul\u0000x', 'ThreadCreated', plain, meta, 1_733_000_000_002, null],
    // Kept content, erased content (with its erasure key, and on a row that lost it), a message from
    // before erasable content, "erasable" only as a nested key, and one that describes nothing.
    ['thread-1', 'MessagePosted', JSON.stringify({ erasable: ERASABLE, messageId: 'm1' }), meta, 1_733_000_000_050, '{"fields":{"body":"hi\\nthere"},"salt":"00"}', 'message:m1'],
    ['thread-1', 'MessagePosted', JSON.stringify({ erasable: ERASABLE, messageId: 'm2' }), meta, 1_733_000_000_999, null, 'message:m2'],
    ['thread-1', 'MessagePosted', JSON.stringify({ erasable: ERASABLE, messageId: 'm3' }), meta, 1_733_000_000_999, null],
    ['thread-1', 'MessagePosted', JSON.stringify({ body: 'v2', messageId: 'm4' }), meta, 1_733_000_000_999, null, 'message:m4'],
    ['thread-1', 'ThreadRenamed', JSON.stringify({ nested: { erasable: ERASABLE } }), meta, 1_733_000_001_000, null],
    ['thread-1', 'ThreadRenamed', JSON.stringify({ erasable: 'not a descriptor' }), meta, 1_733_000_001_005, null, 'odd'],
    // Instants: the epoch, before it, the last of year 9999 and after it.
    ['thread-1', 'Tick', plain, meta, 0, null],
    ['thread-1', 'Tick', plain, meta, -1, null],
    ['thread-1', 'Tick', plain, meta, -86_400_001, null],
    ['thread-1', 'Tick', plain, meta, 253_402_300_799_999, null],
    ['thread-1', 'Tick', plain, meta, 253_402_300_800_000, null],
    // Stored JSON that is not one line (only a hand-edited database has it).
    ['thread-1', 'Tick', '{\n  "a": 1\n}', '{"actorId":\r\nnull}', 1_733_000_002_000, null],
  ];
  // MariaDB's string columns are ASCII; SQLite's take any text.
  if (kind === 'sqlite') rows.push(['s-ü-😀-\u2028', 'Tick', plain, meta, 1_733_000_003_000, null]);
  return rows;
}

describe.each(kinds)('export lines written by the database (%s)', (kind) => {
  let database: TestDatabase;
  let db: Database;
  let stored: EventRow[];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = await openDatabase(database.url);
    await migrate(db);
    const rows = awkwardRows(kind);
    const params = rows.flatMap(([streamId, type, data, metadata, recordedAt, content, erasureKey], i) => [
      i + 1, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, streamId, i + 1, type, 1, data, metadata, recordedAt, i === 3 ? `"h\\${i}"` : HASH, content, erasureKey ?? null,
    ]);
    await db.execute(`INSERT INTO events (${EVENT_COLUMNS}) VALUES ${valuesList(EVENT_COLUMN_COUNT, rows.length)}`, params);
    // The last row is past the head: export must not write it.
    await db.execute('UPDATE log_head SET position = ?, hash = ? WHERE id = 1', [rows.length - 1, HASH]);
    stored = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position`);
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  const exported = async (after = 0) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    // Chunks of 200 bytes: most lines do not fit one.
    const count = await exportLog(db, new LineWriter(sink, 200), { after });
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(count).toBe(lines.length);
    // A sink that takes text gets the same lines.
    const texts: string[] = [];
    await exportLog(db, { line: (text) => void texts.push(text), flush: async () => undefined }, { after });
    expect(texts).toEqual(lines);
    return lines;
  };

  it('writes every row exactly as lineFromRow does, up to the head', async () => {
    const expected = stored.slice(0, -1).map(lineFromRow);
    const lines = await exported();
    expect(lines).toHaveLength(expected.length);
    for (let i = 0; i < expected.length; i += 1) expect(lines[i], `position ${i + 1}`).toBe(expected[i]);
    for (const line of lines) expect(line).not.toMatch(/[\r\n]/);
    // The rows were chosen to reach each case: kept content, erased content, neither.
    expect(lines.filter((l) => l.includes('"content":{')).length).toBe(1);
    expect(lines.filter((l) => l.includes('"content":null')).length).toBe(2);
    expect(lines.some((l) => l.includes('"recordedAt":"1969-12-31T23:59:59.999Z"'))).toBe(true);
    expect(lines.some((l) => l.includes('"recordedAt":"+010000-01-01T00:00:00.000Z"'))).toBe(true);
  });

  it('starts after the position it is given', async () => {
    const lines = await exported(5);
    expect(lines).toEqual(stored.slice(5, -1).map(lineFromRow));
  });
});
