/**
 * Commands that read a log never create a store: pointed at a mistyped
 * SQLite path or a MariaDB database that does not exist, each exits 3
 * ("cannot open the store", never the 1 of a failed check) and leaves no
 * file, directory or database behind. Import and migrate, whose job is to
 * fill a store, still create one.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';
import { runThrds } from './support/runThrds.ts';
import { storeExists } from './support/stores.ts';

const kinds = await storeKinds();
const dir = mkdtempSync(join(tmpdir(), 'thrds-readonly-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readers = (url: string): string[][] => [
  ['verify', '--db', url],
  ['export', '--db', url],
  ['export', join(dir, `out-${Math.random()}.jsonl`), '--db', url],
  ['events', '--db', url],
  ['stats', '--db', url],
  ['backup', join(dir, `backup-${Math.random()}`), '--db', url],
  ['rebuild', '--db', url],
];

describe.each(kinds)('read-only commands on a %s store that does not exist', (kind) => {
  const made: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of made) await db.drop();
  });

  it('exit 3 with "nothing was created", and create nothing', async () => {
    const missing = await createTestDatabase(kind);
    made.push(missing);
    // A path in a directory that does not exist either: not even the directory may appear.
    const url = kind === 'sqlite' ? `sqlite:${join(dir, 'no-such-dir', 'thrds.db')}` : missing.url;
    const runs = await Promise.all(readers(url).map((line) => runThrds(line)));
    for (const [i, run] of runs.entries()) {
      expect(run.stderr, readers(url)[i]!.join(' ')).toMatch(kind === 'sqlite' ? /^thrds \w+: no SQLite database at .*no-such-dir\/thrds\.db; nothing was created\n$/ : /^thrds \w+: no database thrds_test_\w+ on .*; nothing was created\n$/);
      expect(run.code, readers(url)[i]!.join(' ')).toBe(3);
      expect(run.stdout).toBe('');
    }
    expect(await storeExists(url)).toBe(false);
    if (kind === 'sqlite') expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
    // No output file was left either.
    expect((await import('node:fs')).readdirSync(dir).filter((f) => f !== 'no-such-dir')).toEqual([]);
  });

  it('a mistyped name beside a real store is not created either, while import and migrate do create their store', async () => {
    const real = await createTestDatabase(kind);
    made.push(real);
    const migrated = await runThrds(['migrate', '--db', real.url]);
    expect(migrated.code).toBe(0);
    expect(await storeExists(real.url)).toBe(true);

    const typo = kind === 'sqlite' ? real.url.replace(/\.db$/, '.bd') : `${real.url}x`;
    const verify = await runThrds(['verify', '--db', typo]);
    expect(verify.code).toBe(3);
    expect(await storeExists(typo)).toBe(false);

    const fresh = await createTestDatabase(kind);
    made.push(fresh);
    const imported = await runThrds(['import', '--db', fresh.url], { stdin: '' });
    expect(imported.stdout).toContain('imported 0 events');
    expect(imported.code).toBe(0);
    expect(await storeExists(fresh.url)).toBe(true);
  });
});
