/**
 * `thrds verify` against real stores: a clean log passes with its count and
 * head hash; an edited body, a deleted row and two swapped rows (written by
 * an attacker who first drops the append-only triggers) each fail with
 * exit 1 and the first bad position.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { runThrds } from './support/runThrds.ts';
import { seedChat, tamper } from './support/chatLog.ts';

const kinds = await storeKinds();

describe.each(kinds)('thrds verify on %s', (kind) => {
  let t: TestThrds | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  /** A log of 3 users, 4 threads and 40 messages: positions 1-47. */
  async function seeded(): Promise<TestThrds> {
    t = await openTestThrds(kind);
    await seedChat(t.store, { users: 3, threads: 4, messages: 40, v1Every: 3 });
    expect((await t.store.head()).position).toBe(47);
    return t;
  }

  it('passes an untouched log and prints the count and the head hash', async () => {
    const t = await seeded();
    const head = await t.store.head();
    const run = await runThrds(['verify', '--database-url', t.database.url]);
    expect(run.stderr).toContain('verify: 47 events');
    expect(run.stdout.trim()).toBe(`ok: 47 events verified; head position 47, hash ${head.hash}\nerasures: 0 events carry erased content, erased by 0 events`);
    expect(run.code).toBe(0);
    // On worker threads (a short log is cut into stretches for them), the same.
    const threaded = await runThrds(['verify', '--database-url', t.database.url, '--workers', '2']);
    expect({ stdout: threaded.stdout, code: threaded.code }).toEqual({ stdout: run.stdout, code: 0 });
  });

  it('refuses a --workers that is not 1 to 4, before opening anything', async () => {
    const run = await runThrds(['verify', '--database-url', 'sqlite:/nonexistent/thrds.db', '--workers', '0']);
    expect(run.stderr).toContain('--workers must be a whole number from 1 to 4, got 0');
    expect(run.code).toBe(2);
  });

  it('catches a message body edited in place, at its position', async () => {
    const t = await seeded();
    await tamper(t.db, "UPDATE events SET data = REPLACE(data, 'message 17 ', 'message 71 ') WHERE position = 25");
    const [row] = await t.db.query<{ data: string | object }>('SELECT data FROM events WHERE position = 25');
    expect(typeof row!.data === 'string' ? row!.data : JSON.stringify(row!.data)).toContain('message 71 ');
    const run = await runThrds(['verify', '--database-url', t.database.url]);
    expect(run.stdout).toMatch(/^FAILED at position 25: edited: /);
    expect(run.code).toBe(1);
  });

  it('catches a deleted event as missing at its position', async () => {
    const t = await seeded();
    await tamper(t.db, 'DELETE FROM events WHERE position = 30');
    const run = await runThrds(['verify', '--database-url', t.database.url, '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, count: 29, finding: { kind: 'missing', position: 30 } });
    expect(run.code).toBe(1);
    const threaded = await runThrds(['verify', '--database-url', t.database.url, '--json', '--workers', '3']);
    expect({ stdout: threaded.stdout, code: threaded.code }).toEqual({ stdout: run.stdout, code: 1 });
  });

  it('catches a deleted last event against the head row', async () => {
    const t = await seeded();
    await tamper(t.db, 'DELETE FROM events WHERE position = 47');
    const run = await runThrds(['verify', '--database-url', t.database.url]);
    expect(run.stdout).toMatch(/^FAILED at position 47: missing: /);
    expect(run.code).toBe(1);
  });

  it('catches two swapped events as reordered at the first of them', async () => {
    const t = await seeded();
    // Positions are the primary key: park one row out of the way to swap them.
    await tamper(
      t.db,
      'UPDATE events SET position = 1000000 WHERE position = 12',
      'UPDATE events SET position = 12 WHERE position = 40',
      'UPDATE events SET position = 40 WHERE position = 1000000',
    );
    const run = await runThrds(['verify', '--database-url', t.database.url]);
    expect(run.stdout).toMatch(/^FAILED at position 12: reordered: /);
    expect(run.code).toBe(1);
  });

  it('catches two swapped events of the same stream by their stream order too', async () => {
    const t = await seeded();
    const rows = await t.db.query<{ stream_id: string; position: number }>("SELECT stream_id, position FROM events WHERE type = 'MessagePosted' ORDER BY position");
    const first = rows[0]!;
    const later = rows.filter((r) => r.stream_id === first.stream_id)[2]!;
    await tamper(
      t.db,
      `UPDATE events SET position = 1000000 WHERE position = ${Number(first.position)}`,
      `UPDATE events SET position = ${Number(first.position)} WHERE position = ${Number(later.position)}`,
      `UPDATE events SET position = ${Number(later.position)} WHERE position = 1000000`,
    );
    const run = await runThrds(['verify', '--database-url', t.database.url]);
    expect(run.stdout).toContain(`FAILED at position ${Number(first.position)}: reordered: `);
    expect(run.stdout).toContain('sits out of order');
    expect(run.code).toBe(1);
  });
});
