/**
 * FILE arguments: `export FILE` writes what standard output would get,
 * appears only complete and never replaces a file without --force;
 * `import FILE` reads the file (`-` or none: standard input), and an input
 * it cannot read is bad usage (exit 2) found before any store is touched.
 * The store kind does not matter here: SQLite only, to stay fast.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { seedChat } from './support/chatLog.ts';
import { runThrds } from './support/runThrds.ts';
import { storeExists } from './support/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'thrds-files-'));

describe('export FILE and import FILE', () => {
  let t: TestThrds;
  let stdout: string;
  const made: TestDatabase[] = [];
  beforeAll(async () => {
    t = await openTestThrds('sqlite');
    await seedChat(t.store, { users: 2, threads: 2, messages: 10 });
    stdout = (await runThrds(['export', '--db', t.database.url])).stdout;
  });
  afterAll(async () => {
    await t.dispose();
    for (const db of made) await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('export FILE writes exactly what standard output gets, says so, and leaves no temporary file', async () => {
    const file = join(dir, 'log.jsonl');
    const [run, json] = await Promise.all([
      runThrds(['export', file, '--db', t.database.url]),
      runThrds(['export', join(dir, 'log2.jsonl'), '--db', t.database.url, '--json', '-q']),
    ]);
    expect(run.stdout).toBe(`exported 14 events to ${file}\n`);
    expect(run.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(stdout);
    expect(JSON.parse(json.stdout)).toEqual({ file: join(dir, 'log2.jsonl'), events: 14 });
    expect(json.stderr).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['log.jsonl', 'log2.jsonl']);
  });

  it('export refuses to replace a file without --force (exit 2, file untouched), and replaces it with --force', async () => {
    const file = join(dir, 'taken.jsonl');
    writeFileSync(file, 'precious\n');
    const refused = await runThrds(['export', file, '--db', t.database.url]);
    expect(refused.stderr).toBe(`thrds export: ${file} exists: choose another name, or pass --force to replace it\nRun 'thrds export --help' for usage.\n`);
    expect(refused.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
    const forced = await runThrds(['export', file, '--force', '--db', t.database.url]);
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(stdout);
  });

  it('export into a directory that does not exist is bad usage', async () => {
    const run = await runThrds(['export', join(dir, 'nowhere', 'log.jsonl'), '--db', t.database.url]);
    expect(run.stderr).toContain(`cannot write ${join(dir, 'nowhere', 'log.jsonl')}: directory ${join(dir, 'nowhere')} does not exist`);
    expect(run.code).toBe(2);
  });

  it('import reads FILE, and `-` reads standard input', async () => {
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, stdout);
    const [a, b] = [await createTestDatabase('sqlite'), await createTestDatabase('sqlite')];
    made.push(a, b);
    const [fromFile, fromStdin] = await Promise.all([
      runThrds(['import', file, '--db', a.url], { stdin: 'this is not the log\n' }),
      runThrds(['import', '-', '--db', b.url], { stdin: stdout }),
    ]);
    expect(fromFile.stdout).toMatch(/^imported 14 events; head position 14/);
    expect(fromFile.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
    expect(fromStdin.code).toBe(0);
  });

  it('import of a FILE it cannot read is bad usage (exit 2), and creates no store', async () => {
    const target = await createTestDatabase('sqlite');
    made.push(target);
    mkdirSync(join(dir, 'a-directory'));
    const [missing, directory] = await Promise.all([
      runThrds(['import', join(dir, 'missing.jsonl'), '--db', target.url]),
      runThrds(['import', join(dir, 'a-directory'), '--db', target.url]),
    ]);
    expect(missing.stderr).toBe(`thrds import: cannot read ${join(dir, 'missing.jsonl')}: no such file\nRun 'thrds import --help' for usage.\n`);
    expect(missing.code).toBe(2);
    expect(directory.stderr).toContain('it is a directory');
    expect(directory.code).toBe(2);
    expect(await storeExists(target.url)).toBe(false);
  });
});
