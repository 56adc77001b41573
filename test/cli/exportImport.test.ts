/**
 * `thrds export` and `thrds import` through the real command: a round trip
 * between any two stores gives back the same log (byte for byte), the same
 * head hash and the same read models; a broken chain, a bad line or a store
 * that is not empty is refused with the store left untouched; and a log far
 * larger than the heap passes through, so neither side holds it in memory.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineFromEvent } from '../../src/audit/eventLine.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { syntheticEvents } from '../../bench/logTools/syntheticLog.ts';
import { chainHash } from '../../src/events/hashChain.ts';
import type { StoredEvent } from '../../src/events/types.ts';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { seedChat, tableRows } from './support/chatLog.ts';
import { runThrds } from './support/runThrds.ts';

const kinds = await storeKinds();
const dir = mkdtempSync(join(tmpdir(), 'thrds-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readModels(url: string) {
  const db = await openDatabase(url);
  try {
    return {
      users: await tableRows(db, 'users', 'id'),
      threads: await tableRows(db, 'threads', 'id'),
      messages: await tableRows(db, 'messages', 'id'),
      mentions: await tableRows(db, 'message_mentions', 'message_id, user_id'),
      // By code unit: the stores' collations order `message_mentions` and `messages` differently.
      checkpoints: (await tableRows(db, 'projection_checkpoints', 'name')).sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0)),
    };
  } finally {
    await db.close();
  }
}

/** The events with the chain hashed again from `from` on: a log whose chain checks out, whatever was changed in it. */
function rechained(events: readonly StoredEvent[], from: number): string {
  let previous = events[from - 1]!.hash;
  return events
    .map((event, i) => {
      if (i < from) return lineFromEvent(event);
      const { hash: _stale, ...rest } = event;
      previous = chainHash(previous, rest);
      return lineFromEvent({ ...rest, hash: previous });
    })
    .join('\n');
}

async function logSize(url: string): Promise<{ events: number; head: number }> {
  const db = await openDatabase(url);
  try {
    const [count] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM events');
    const [head] = await db.query<{ position: number }>('SELECT position FROM log_head WHERE id = 1');
    return { events: Number(count!.n), head: Number(head!.position) };
  } finally {
    await db.close();
  }
}

describe.each(kinds)('thrds export from %s', (kind) => {
  let source: TestThrds;
  let exported: string;
  const targets: TestDatabase[] = [];
  const target = async (k: typeof kind) => {
    const db = await createTestDatabase(k);
    targets.push(db);
    return db;
  };

  beforeAll(async () => {
    source = await openTestThrds(kind);
    await seedChat(source.store, { users: 4, threads: 5, messages: 120, v1Every: 4 });
    const run = await runThrds(['export', '--database-url', source.database.url]);
    expect(run.code).toBe(0);
    exported = run.stdout;
    writeFileSync(join(dir, `${kind}.jsonl`), exported);
  });
  afterAll(async () => {
    await source.dispose();
    for (const db of targets) await db.drop();
  });

  it('writes every event once, in position order, in its stored form, with the API\'s types', async () => {
    type Line = { position: string; type: string; schemaVersion: number; recordedAt: string; data: Record<string, unknown> };
    const lines = exported.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => l.position)).toEqual(Array.from({ length: 129 }, (_, i) => String(i + 1)));
    const stored = await source.store.readAll({ after: 0, limit: 1000 });
    // recordedAt is the DateTime scalar's form: ISO-8601 in UTC with milliseconds, the same instant as stored.
    expect(lines.map((l) => l.recordedAt)).toEqual(stored.map((e) => new Date(e.recordedAt).toISOString()));
    for (const line of lines) expect(line.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const v1 = lines.filter((l) => l.type === 'MessagePosted' && l.schemaVersion === 1);
    expect(v1).toHaveLength(30);
    for (const event of v1) expect(event.data).not.toHaveProperty('format');
  });

  it('exports only what follows --after', async () => {
    const run = await runThrds(['export', '--after', '100', '--database-url', source.database.url]);
    expect(run.stdout).toBe(`${exported.split('\n').slice(100).join('\n')}`);
  });

  it.each(kinds)('imports into an empty %s store with the same log, head hash and read models', async (targetKind) => {
    const db = await target(targetKind);
    // FILE is read, not standard input (which holds something that is not a log).
    const run = await runThrds(['import', join(dir, `${kind}.jsonl`), '--database-url', db.url], { stdin: 'not a log\n' });
    const head = await source.store.head();
    expect(run.stdout.trim()).toBe(`imported 129 events; head position 129, hash ${head.hash}; read models caught up`);
    expect(run.code).toBe(0);

    const verify = await runThrds(['verify', '--database-url', db.url]);
    expect(verify.stdout).toContain(`ok: 129 events verified; head position 129, hash ${head.hash}`);
    const again = await runThrds(['export', '--database-url', db.url]);
    expect(again.stdout).toBe(exported);
    expect(await readModels(db.url)).toEqual(await readModels(source.database.url));
  });

  it('refuses a log with one edited body, naming its position, and imports nothing', async () => {
    const db = await target(kind);
    const lines = exported.split('\n');
    lines[60] = lines[60]!.replace('message', 'massage');
    const run = await runThrds(['import', '--database-url', db.url], { stdin: lines.join('\n') });
    expect(run.stderr).toContain('refused: broken chain at position 61 (edited');
    expect(run.stderr).toContain('nothing was imported');
    expect(run.code).toBe(1);
    expect(await logSize(db.url)).toEqual({ events: 0, head: 0 });
  });

  it('refuses a log with a line left out, and imports nothing', async () => {
    const db = await target(kind);
    const lines = exported.split('\n');
    lines.splice(99, 1);
    const run = await runThrds(['import', '--database-url', db.url], { stdin: lines.join('\n') });
    expect(run.stderr).toContain('refused: broken chain at position 100 (missing');
    expect(run.code).toBe(1);
    expect(await logSize(db.url)).toEqual({ events: 0, head: 0 });
  });

  it('refuses a line that is not JSON', async () => {
    const db = await target(kind);
    const run = await runThrds(['import', '--database-url', db.url], { stdin: `${exported.split('\n')[0]}\n{"position": 2,\n` });
    expect(run.stderr).toContain('line 2: not JSON');
    expect(run.code).toBe(1);
    expect(await logSize(db.url)).toEqual({ events: 0, head: 0 });
  });

  it('refuses a log whose chain checks out but holds one event id, or one stream version, twice, and imports nothing', async () => {
    // 2,500 events: five INSERT batches, the clash in the last, after four went in.
    const events = [...syntheticEvents(2_500, { users: 5, threads: 10 })];
    const sameId = events.map((e, i) => (i === 2_400 ? { ...e, eventId: events[20]!.eventId } : e));
    const later = events.findIndex((e, i) => i > 2_400 && e.streamId === events[100]!.streamId);
    const sameVersion = events.map((e, i) => (i === later ? { ...e, streamVersion: events[100]!.streamVersion } : e));
    for (const [log, from] of [
      [sameId, 2_400],
      [sameVersion, later],
    ] as const) {
      const db = await target(kind);
      const run = await runThrds(['import', '--database-url', db.url], { stdin: rechained(log, from) });
      expect(run.stderr).toContain('refused: two events share an event id, or a stream and version');
      expect(run.stderr).toContain('nothing was imported');
      expect(run.code).toBe(1);
      expect(await logSize(db.url)).toEqual({ events: 0, head: 0 });
    }
  });

  it('refuses to import into a store that already has events', async () => {
    const run = await runThrds(['import', '--database-url', source.database.url], { stdin: { file: join(dir, `${kind}.jsonl`) } });
    expect(run.stderr).toContain('the store is not empty (head at position 129)');
    expect(run.code).toBe(1);
    expect(await logSize(source.database.url)).toEqual({ events: 129, head: 129 });
  });

  it('streams a log several times the size of its heap through export and import', async () => {
    const file = join(dir, `big-${kind}.jsonl`);
    const out = createWriteStream(file);
    for (const event of syntheticEvents(60_000, { users: 50, threads: 200 })) {
      if (!out.write(`${lineFromEvent(event)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
    const first = await target(kind);
    // The file is ~38 MB of JSON; its 60,000 events as objects would need several times a 64 MB heap.
    // (Import keeps ~39 MB live at its peak on MariaDB, so 48 MB left Node 24 out of memory.)
    const small = { nodeArgs: ['--max-old-space-size=64'] };
    // Broken deep in the file, after many batches went in: all of them roll back.
    const broken = join(dir, `big-broken-${kind}.jsonl`);
    const good = readFileSync(file, 'utf8');
    const at = good.indexOf('{"position":"45000",');
    expect(at).toBeGreaterThan(0);
    writeFileSync(broken, good.slice(0, at) + good.slice(at).replace('quick brown', 'quick black'));
    const refused = await runThrds(['import', '--quiet', '--database-url', first.url], { ...small, stdin: { file: broken } });
    expect(refused.stderr).toContain('refused: broken chain at position 45000 (edited');
    expect(refused.code).toBe(1);
    expect(await logSize(first.url)).toEqual({ events: 0, head: 0 });
    const imported = await runThrds(['import', '--quiet', '--database-url', first.url], { ...small, stdin: { file } });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const exportedBig = await runThrds(['export', '--quiet', '--database-url', first.url], small);
    expect(exportedBig.code).toBe(0);
    expect(exportedBig.stdout === readFileSync(file, 'utf8')).toBe(true);
  }, 180_000);
});
