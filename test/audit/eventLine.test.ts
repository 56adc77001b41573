/**
 * The JSON-lines format of export, import and events: the API's types
 * (position a decimal string, recordedAt ISO-8601), and files written by
 * the first format (thrds 0.1.0: numeric positions, epoch milliseconds)
 * still import, verify and come back out in today's format. The fixture
 * was written by `thrds export` of 0.1.0; its head hash is the proof that
 * nothing was lost on the way.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BadLineError, eventFromLine, lineFromEvent } from '../../src/audit/eventLine.ts';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';
import { runThrds } from '../cli/support/runThrds.ts';

const kinds = await storeKinds();
const FIXTURE = new URL('./fixtures/export-0.1.0.jsonl', import.meta.url).pathname;
const FIXTURE_HEAD = { position: 12, hash: 'a689459df50afcff5027712e1a7904f1989844f2c55696e26f4f148923ecc2dd' };
const oldLines = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');

/** An old line in today's format, field by field: only position and recordedAt change type. */
function modernized(line: string): Record<string, unknown> {
  const old = JSON.parse(line) as { position: number; recordedAt: number };
  return { ...old, position: String(old.position), recordedAt: new Date(old.recordedAt).toISOString() };
}

describe('one event as one line', () => {
  it('is written with the position as a decimal string and recordedAt as ISO-8601, keys in a fixed order', () => {
    const event = eventFromLine(oldLines[4]!, 5);
    const line = lineFromEvent(event);
    expect(JSON.parse(line)).toEqual(modernized(oldLines[4]!));
    expect(Object.keys(JSON.parse(line) as object)).toEqual(['position', 'eventId', 'streamId', 'streamVersion', 'type', 'schemaVersion', 'data', 'metadata', 'recordedAt', 'hash']);
    expect(line).toMatch(/^\{"position":"5",.*"recordedAt":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z","hash":"[0-9a-f]{64}"\}$/);
  });

  it('reads the same event from the first format and from today\'s', () => {
    for (const [i, old] of oldLines.entries()) {
      const event = eventFromLine(old, i + 1);
      expect(eventFromLine(lineFromEvent(event), i + 1)).toEqual(event);
      expect(eventFromLine(JSON.stringify(modernized(old)), i + 1)).toEqual(event);
    }
  });

  it.each([
    ['position', '01', 'position must be a decimal string'],
    ['position', '-1', 'position must be a decimal string'],
    ['position', '1.5', 'position must be a decimal string'],
    ['position', '0', 'position must be a decimal string'],
    ['position', 0, 'position must be a decimal string'],
    ['position', '99999999999999999999', 'position must be a decimal string'],
    ['recordedAt', 'yesterday', 'recordedAt must be an ISO-8601 instant'],
    ['recordedAt', '2026-12-01', 'recordedAt must be an ISO-8601 instant'],
    ['recordedAt', '2026-13-01T00:00:00.000Z', 'recordedAt must be an ISO-8601 instant'],
    ['recordedAt', -5, 'recordedAt must be an ISO-8601 instant'],
  ])('refuses %s = %j with a line number and what was expected', (key, value, message) => {
    const line = JSON.stringify({ ...modernized(oldLines[0]!), [key]: value });
    expect(() => eventFromLine(line, 7)).toThrow(BadLineError);
    expect(() => eventFromLine(line, 7)).toThrow(`line 7: ${message}`);
  });
});

describe('the README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### The JSON-lines format'), readme.indexOf('### Backups and restore'));

  it('documents every key of a line, in order, and its example is a line as export writes it', () => {
    const documented = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    const example = /```json\n(.*)\n```/.exec(section)?.[1];
    expect(example).toBeDefined();
    expect(Object.keys(JSON.parse(example!) as object)).toEqual(documented);
    expect(lineFromEvent(eventFromLine(example!, 1))).toBe(example);
    // Events without erasable content have every key but `content`.
    expect(documented.filter((key) => key !== 'content')).toEqual(Object.keys(JSON.parse(lineFromEvent(eventFromLine(oldLines[0]!, 1))) as object));
  });

  it('documents the exit codes the command uses', () => {
    const table = readme.slice(readme.indexOf('### Exit codes'), readme.indexOf('### The JSON-lines format'));
    expect([...table.matchAll(/^\| (\d) \|/gm)].map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4]);
  });
});

describe.each(kinds)('a file exported by thrds 0.1.0, imported into %s', (kind) => {
  const made: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of made) await db.drop();
  });

  it('imports with its head hash intact, verifies, and exports in today\'s format', async () => {
    const db = await createTestDatabase(kind);
    made.push(db);
    const imported = await runThrds(['import', FIXTURE, '--db', db.url, '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({ imported: 12, head: FIXTURE_HEAD });

    const verified = await runThrds(['verify', '--db', db.url, '--json']);
    expect(JSON.parse(verified.stdout)).toEqual({ ok: true, count: 12, head: FIXTURE_HEAD, erasures: { erased: 0, erasing: 0, unerasable: 0 } });
    expect(verified.code).toBe(0);

    const exported = await runThrds(['export', '--db', db.url, '--quiet']);
    expect(exported.code).toBe(0);
    const lines = exported.stdout.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(oldLines.map(modernized));

    // …and today's format goes back in with the same head.
    const again = await createTestDatabase(kind);
    made.push(again);
    const reimported = await runThrds(['import', '-', '--db', again.url, '--json'], { stdin: exported.stdout });
    expect(JSON.parse(reimported.stdout)).toEqual({ imported: 12, head: FIXTURE_HEAD });
  });
});
