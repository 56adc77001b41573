/**
 * The unread and mention reads walk indexes on both stores (EXPLAIN), with
 * enough rows that the planner's choice means something: a count reads the
 * range after the marker, a mentions page walks the user's index backwards.
 * The rows are written straight into the read-model tables: only the plans
 * are under test here (the counts themselves: unread.e2e.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Statement } from '../../src/db/database.ts';
import { valuesList } from '../../src/db/sqlFragments.ts';
import { mentioningStatement } from '../../src/projections/mentionsQueries.ts';
import { unreadCountsStatement, unreadThreadsStatement } from '../../src/unread/unreadQueries.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';

describe.each(await storeKinds())('unread query plans on %s', (kind) => {
  let thrds: TestThrds;
  const users = Array.from({ length: 20 }, () => randomUUID());
  const threads = Array.from({ length: 50 }, () => randomUUID());
  const reader = { userId: users[1]!, baseline: 0 };

  beforeAll(async () => {
    thrds = await openTestThrds(kind);
    const { db } = thrds;
    await db.execute(`INSERT INTO threads (id, title, created_by, created_at, message_count, last_activity_at, position) VALUES ${valuesList(7, threads.length)}`, threads.flatMap((id, i) => [id, 't', users[0], 0, 100, 0, 100_000 + i]));
    for (let batch = 0; batch < 10; batch += 1) {
      const messages = Array.from({ length: 500 }, (_, i) => ({ id: randomUUID(), n: batch * 500 + i }));
      await db.execute(
        `INSERT INTO messages (id, thread_id, author_id, body, posted_at, position, reply_to_id, format) VALUES ${valuesList(8, messages.length)}`,
        messages.flatMap(({ id, n }) => [id, threads[n % threads.length], users[n % users.length], 'x', 0, n + 1, null, 'plain']),
      );
      const mentioned = messages.filter(({ n }) => n % 3 === 0);
      await db.execute(
        `INSERT INTO message_mentions (message_id, user_id, thread_id, position) VALUES ${valuesList(4, mentioned.length)}`,
        mentioned.flatMap(({ id, n }) => [id, users[n % 7], threads[n % threads.length], n + 1]),
      );
    }
    await db.execute(`INSERT INTO read_markers (user_id, thread_id, position, updated_at) VALUES ${valuesList(4, 10)}`, threads.slice(0, 10).flatMap((id) => [reader.userId, id, 4000, 0]));
    for (const table of ['threads', 'messages', 'message_mentions', 'read_markers']) {
      if (kind === 'sqlite') await db.execute(`ANALYZE ${table}`);
      else await db.query(`ANALYZE TABLE ${table}`);
    }
  });
  afterAll(async () => {
    await thrds?.dispose();
  });

  /** Each table read, with the index it reads through (null: none), and how. */
  const plan = async ({ sql, params }: Statement): Promise<string[]> => {
    if (kind === 'sqlite') {
      const rows = await thrds.db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
      return rows.map((r) => r.detail).filter((d) => /^(SCAN|SEARCH) /.test(d) && d !== 'SCAN CONSTANT ROW');
    }
    const rows = await thrds.db.query<{ table: string | null; key: string | null; type: string | null; Extra: string | null }>(`EXPLAIN ${sql}`, params);
    return rows.filter((r) => r.table !== null).map((r) => `${r.table} ${r.type} ${r.key} ${r.Extra ?? ''}`);
  };

  it("counts a page of threads' unread messages and mentions through the ranges after each marker", async () => {
    const steps = await plan(unreadCountsStatement(threads.slice(0, 20).map((threadId, i) => ({ userId: reader.userId, threadId, from: i === 0 ? 4000 : reader.baseline }))));
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect(step).toMatch(/messages_thread_position|message_mentions_user_thread_position|PRIMARY|sqlite_autoindex_messages_1/);
    expect(steps.join('\n')).not.toMatch(/filesort|^SCAN m\b|\bALL\b/m);
  });

  it('counts unread threads with one pass over threads and an index probe into each', async () => {
    const steps = await plan(unreadThreadsStatement(reader));
    expect(steps.some((s) => /messages_thread_position|Range checked for each record/.test(s))).toBe(true);
    expect(steps.some((s) => /read_markers|^r /.test(s) || /r eq_ref PRIMARY/.test(s))).toBe(true);
  });

  it("pages a user's mentions newest first along their index, without sorting", async () => {
    for (const statement of [mentioningStatement(reader.userId, undefined, 51), mentioningStatement(reader.userId, 3000, 51)]) {
      const steps = await plan(statement);
      expect(steps.join('\n')).toMatch(/message_mentions_user_position/);
      expect(steps.join('\n')).not.toMatch(/filesort|TEMP B-TREE/);
    }
  });
});
