/**
 * `thrds verify` on MariaDB hashes the text each hash covers put together
 * from the stored bytes (chainBytes.ts) and only decodes a row that is
 * `odd` or fails. A wrong byte there would not fail verify (the decoded
 * path would pass the row), only slow it: so each row's bytes are held to
 * the text hashChain.ts hashes, over rows chosen to trip them (every ASCII
 * character in the string columns, a hash needing escapes, text beyond
 * ASCII, instants before 1970 and after 9999, erasable content), and the
 * rows flagged `odd` are exactly those whose ASCII columns need escaping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hash } from 'node:crypto';
import { maxHashedBytes, writeHashedBytes } from '../../src/audit/chainBytes.ts';
import { type ByteRow, byteRowColumns, decodedRow, integerOf, isOdd } from '../../src/audit/rowBytes.ts';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { valuesList } from '../../src/db/sqlFragments.ts';
import { EVENT_COLUMN_COUNT, EVENT_COLUMNS, fieldsFromRow } from '../../src/events/eventRows.ts';
import { chainHashOfCanonicalText, GENESIS_HASH } from '../../src/events/hashChain.ts';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';

const kinds = (await storeKinds()).filter((kind) => kind === 'mariadb');
const ASCII = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
const DATA = '{"threadId":"t1","title":"naïve \\"quoted\\" \\\\ \u2028 😀"}';
const ERASABLE = JSON.stringify({ erasable: { key: 'message:m1', fields: ['body'], digest: 'cd'.repeat(32) }, messageId: 'm1' });

describe.each(kinds)('event rows as bytes (%s)', (kind) => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = await openDatabase(database.url);
    await migrate(db);
    const rows: [streamId: string, type: string, data: string, recordedAt: number, hash: string, content: string | null][] = [];
    for (let i = 1; i < 128; i += 16) rows.push([`s-${ASCII.slice(i, i + 16).join('')}`, 'Tick', DATA, 1_733_000_000_000 + i, 'ab'.repeat(32), null]);
    rows.push(['thread-1', `T${ASCII.slice(32, 48).join('')}`, DATA, 0, 'ab'.repeat(32), null]);
    rows.push(['thread-1', 'Tick', DATA, -86_400_001, `"h\\${'0'.repeat(60)}`, null]);
    rows.push(['thread-1', 'Tick', DATA, 253_402_300_800_000, 'ab'.repeat(32), null]);
    rows.push(['thread-1', 'MessagePosted', ERASABLE, 1_733_000_000_050, 'ab'.repeat(32), '{"fields":{"body":"hi"},"salt":"00"}']);
    const params = rows.flatMap(([streamId, type, data, recordedAt, rowHash, content], i) => [
      i + 1, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, streamId, i + 1, type, 3, data, '{"actorId":null,"note":"ü"}', recordedAt, rowHash, content, content ? 'message:m1' : null,
    ]);
    await db.execute(`INSERT INTO events (${EVENT_COLUMNS}) VALUES ${valuesList(EVENT_COLUMN_COUNT, rows.length)}`, params);
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('puts together exactly the text the chain hashes, and flags the rows whose ASCII columns need escaping', async () => {
    let previous = GENESIS_HASH;
    let fromBytes = 0;
    let odd = 0;
    for await (const row of db.stream<ByteRow>(`SELECT ${byteRowColumns(true)} FROM events ORDER BY position`, [], { bytes: true })) {
      const decoded = decodedRow(row);
      const needsEscapes = [decoded.event_id, decoded.stream_id, decoded.type, decoded.hash].some((text) => JSON.stringify(text) !== `"${text}"`);
      expect(isOdd(row), `position ${String(decoded.position)}`).toBe(needsEscapes);
      expect(integerOf(row.position)).toBe(Number(decoded.position));
      const expected = chainHashOfCanonicalText(previous, fieldsFromRow(decoded), String(decoded.data), String(decoded.metadata));
      if (isOdd(row)) odd += 1;
      else {
        const out = Buffer.alloc(maxHashedBytes(row, previous));
        const end = writeHashedBytes(out, row, previous);
        expect(hash('sha256', out.subarray(0, end)), `position ${String(decoded.position)}`).toBe(expected);
        fromBytes += 1;
      }
      previous = decoded.hash;
    }
    // Control characters, quotes and backslashes in four stream ids, the type and the hash; the rest made from bytes.
    expect(odd).toBe(6);
    expect(fromBytes).toBe(6);
  });
});
