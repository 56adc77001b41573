/**
 * `stream`, what the log tools read the whole log with: rows in order
 * whatever the pace of the reader (MariaDB pauses the socket past a
 * thousand rows buffered), a query failing part-way throws after the rows
 * before it, and the pool goes on. With `bytes` (export and verify on
 * MariaDB: rowBytes.ts), every column comes as the bytes the server sent
 * (text as stored UTF-8, numbers as decimal digits, NULL as null) on
 * MariaDB, the usual values on SQLite; and the connection it borrowed goes
 * back to the pool reading text as text, whether the stream ran to its end
 * or stopped early.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openMysqlDatabase } from '../../src/db/mysqlDatabase.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';

const kinds = await storeKinds();
const TEXT = 'naïve "quoted" \u2028 😀';

describe.each(kinds)('streaming rows (%s)', (kind) => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    // One connection, so the query after a stream runs on the connection the stream used.
    db = kind === 'mariadb' ? await openMysqlDatabase(database.url, { connectionLimit: 1 }) : await openDatabase(database.url);
    await db.exec(`CREATE TABLE samples (id BIGINT NOT NULL PRIMARY KEY, body TEXT, note TEXT, at BIGINT NOT NULL)`);
    await db.execute('INSERT INTO samples (id, body, note, at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)', [1, TEXT, null, -86_400_001, 2, 'plain', 'x', 1_733_000_000_000]);
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  const select = 'SELECT id, body, note, at FROM samples WHERE id >= ? ORDER BY id';
  const readText = async () => (await db.query<{ body: string }>('SELECT body FROM samples WHERE id = 1'))[0]?.body;

  it('hands over the stored bytes on MariaDB and the usual values on SQLite', async () => {
    const rows: Record<string, unknown>[] = [];
    for await (const row of db.stream<Record<string, unknown>>(select, [1], { bytes: true })) rows.push(row);
    expect(rows).toHaveLength(2);
    if (kind === 'mariadb') {
      expect(rows[0]).toEqual({ id: Buffer.from('1'), body: Buffer.from(TEXT, 'utf8'), note: null, at: Buffer.from('-86400001') });
      expect(rows[1]).toEqual({ id: Buffer.from('2'), body: Buffer.from('plain'), note: Buffer.from('x'), at: Buffer.from('1733000000000') });
    } else {
      expect(rows.map((r) => [Number(r.id), r.body, r.note, Number(r.at)])).toEqual([
        [1, TEXT, null, -86_400_001],
        [2, 'plain', 'x', 1_733_000_000_000],
      ]);
    }
    expect(await readText()).toBe(TEXT);
  });

  it('hands over every row in order to a slow reader', async () => {
    const numbers = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) SELECT a.i * 1000 + b.i AS v FROM n a, n b ORDER BY v';
    const seen: number[] = [];
    for await (const row of db.stream<{ v: number | string }>(numbers)) {
      seen.push(Number(row.v));
      if (seen.length % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(seen).toHaveLength(10_000);
    expect(seen.every((v, i) => i === 0 || v > seen[i - 1]!)).toBe(true);
    expect(await readText()).toBe(TEXT);
  });

  it('throws the error of a query that fails part-way, after the rows before it, and the pool goes on', async () => {
    // A scalar subquery that returns two rows for the second row only.
    const failing =
      kind === 'mariadb'
        ? 'SELECT id, (SELECT 1 FROM samples s WHERE samples.id = 2 OR s.id = 1 LIMIT 9) AS x FROM samples ORDER BY id'
        : "SELECT id, CASE WHEN id = 2 THEN json_extract('{', '$') ELSE 1 END AS x FROM samples ORDER BY id";
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const row of db.stream<{ id: unknown }>(failing)) seen.push(Number(row.id));
      })(),
    ).rejects.toThrow();
    expect(seen).toEqual([1]);
    expect(await readText()).toBe(TEXT);
  });

  it('leaves the pool reading text as text after a stream that stopped early', async () => {
    for await (const row of db.stream<Record<string, unknown>>(select, [1], { bytes: true })) {
      expect(row).toBeDefined();
      break;
    }
    expect(await readText()).toBe(TEXT);
    let count = 0;
    for await (const row of db.stream<{ body: unknown }>(select, [1])) {
      expect(typeof row.body).toBe('string');
      count += 1;
    }
    expect(count).toBe(2);
  });
});
