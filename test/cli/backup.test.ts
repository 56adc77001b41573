/**
 * `thrds backup` while a writer keeps appending from another process, and
 * the restore: the SQLite copy is itself a store, the MariaDB dump loads
 * into a fresh database with the `mariadb` client. Either way the restored
 * log verifies, ends at a position the source passed through (its head hash
 * is the source's hash at that position: the same prefix of the chain),
 * and its read models stand exactly at its head: one point in time.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { allProjections } from '../../src/projections/projectionEngine.ts';
import { MYSQL_SERVER_URL, storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { type ChatLog, postOne, seedChat } from './support/chatLog.ts';
import { runThrds } from './support/runThrds.ts';
import { onMariadbServer } from './support/stores.ts';

const kinds = await storeKinds();
const dir = mkdtempSync(join(tmpdir(), 'thrds-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Posts from this process until stopped, as a server would; a failed append fails the test. */
function keepPosting(t: TestThrds, log: ChatLog) {
  let stopped = false;
  let posted = 0;
  const done = (async () => {
    while (!stopped) await Promise.all(Array.from({ length: 4 }, () => postOne(t.store, log, posted++)));
  })();
  return { stop: async () => ((stopped = true), await done, posted) };
}

async function headOf(db: Database): Promise<{ position: number; hash: string }> {
  const [row] = await db.query<{ position: number; hash: string }>('SELECT position, hash FROM log_head WHERE id = 1');
  return { position: Number(row!.position), hash: row!.hash };
}

/** The restored store is one point of the source's log: a prefix of its chain, with read models at exactly that point. */
async function expectOnePointOf(source: TestThrds, restoredUrl: string, range: { from: number; to: number }): Promise<number> {
  const verify = await runThrds(['verify', '--db', restoredUrl, '--json']);
  expect(verify.code).toBe(0);
  const result = JSON.parse(verify.stdout) as { ok: boolean; count: number; head: { position: number; hash: string } };
  expect(result.ok).toBe(true);
  const at = result.head.position;
  expect(result.count).toBe(at);
  expect(at).toBeGreaterThanOrEqual(range.from);
  expect(at).toBeLessThanOrEqual(range.to);
  const [sourceRow] = await source.db.query<{ hash: string }>('SELECT hash FROM events WHERE position = ?', [at]);
  expect(result.head.hash).toBe(sourceRow!.hash);

  const db = await openDatabase(restoredUrl, { mustExist: true });
  try {
    const [counts] = await db.query<{ posted: number; messages: number }>(
      "SELECT (SELECT COUNT(*) FROM events WHERE type = 'MessagePosted') AS posted, (SELECT COUNT(*) FROM messages) AS messages",
    );
    expect(Number(counts!.messages)).toBe(Number(counts!.posted));
    const checkpoints = await db.query<{ position: number }>('SELECT position FROM projection_checkpoints');
    expect(checkpoints.map((c) => Number(c.position))).toEqual(checkpoints.map(() => at));
    expect(checkpoints).toHaveLength(allProjections.length);
  } finally {
    await db.close();
  }
  return at;
}

describe('thrds backup on sqlite', () => {
  let t: TestThrds | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('copies the store while a writer appends, with what is still only in the WAL; the copy verifies and is one point of the log', async () => {
    t = await openTestThrds('sqlite');
    // No automatic checkpoints: what follows stays in the -wal file, which a plain copy of the database file would miss.
    await t.db.exec('PRAGMA wal_autocheckpoint = 0');
    const log = await seedChat(t.store, { users: 3, threads: 4, messages: 300 });
    const file = join(dir, 'online.db');
    const posting = keepPosting(t, log);
    const before = (await headOf(t.db)).position;
    const run = await runThrds(['backup', file, '--db', t.database.url, '--json']);
    const after = (await headOf(t.db)).position;
    const posted = await posting.stop();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { file: string; bytes: number; head: { position: number } };
    expect(summary.file).toBe(file);
    expect(summary.bytes).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(before); // the writer went on while the backup ran…
    expect(posted).toBeGreaterThan(0);
    const at = await expectOnePointOf(t, `sqlite:${file}`, { from: before, to: after });
    expect(summary.head.position).toBe(at);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('refuses to overwrite an existing file unless --force', async () => {
    t = await openTestThrds('sqlite');
    await seedChat(t.store, { users: 1, threads: 1, messages: 5 });
    const file = join(dir, 'exists.db');
    writeFileSync(file, 'keep me');
    const refused = await runThrds(['backup', file, '--db', t.database.url]);
    expect(refused.stderr).toContain(`${file} exists: choose another name, or pass --force to replace it`);
    expect(refused.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('keep me');

    const forced = await runThrds(['backup', file, '--force', '--db', t.database.url]);
    expect(forced.stdout).toMatch(/^backed up sqlite:.* to .*exists\.db: \d+ bytes, log head at position 7, hash [0-9a-f]{64}\n$/);
    expect(forced.code).toBe(0);
    await expectOnePointOf(t, `sqlite:${file}`, { from: 7, to: 7 });
  });
});

describe.runIf(kinds.includes('mariadb'))('thrds backup on mariadb', () => {
  let t: TestThrds | undefined;
  const restored: string[] = [];
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
    for (const name of restored.splice(0)) await onMariadbServer((conn) => conn.query(`DROP DATABASE IF EXISTS \`${name}\``));
  });

  /** `mariadb NAME < file` into a database created for it. */
  async function restore(file: string): Promise<string> {
    const name = `thrds_restore_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    restored.push(name);
    await onMariadbServer((conn) => conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
    const server = new URL(MYSQL_SERVER_URL);
    const client = spawn('mariadb', ['--protocol=TCP', `--host=${server.hostname}`, `--port=${server.port || 3306}`, `--user=${decodeURIComponent(server.username || 'root')}`, name], {
      env: { ...process.env, MYSQL_PWD: decodeURIComponent(server.password) },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    client.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    createReadStream(file).pipe(client.stdin);
    const code = await new Promise<number | null>((resolve) => client.once('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return `${MYSQL_SERVER_URL.replace(/\/+$/, '')}/${name}`;
  }

  it('dumps with mariadb-dump --single-transaction while a writer appends; the dump loads into a fresh database and verifies', async () => {
    t = await openTestThrds('mariadb');
    const log = await seedChat(t.store, { users: 3, threads: 4, messages: 300 });
    const file = join(dir, 'online.sql');
    const posting = keepPosting(t, log);
    const before = (await headOf(t.db)).position;
    const run = await runThrds(['backup', file, '--db', t.database.url]);
    const after = (await headOf(t.db)).position;
    await posting.stop();
    expect(run.stdout).toMatch(/^backed up mysql:.* to .*online\.sql: \d+ bytes \(mariadb-dump --single-transaction\)\n$/);
    expect(run.code).toBe(0);
    expect(after).toBeGreaterThan(before);
    const dump = readFileSync(file, 'utf8');
    expect(dump).not.toMatch(/^(CREATE DATABASE|USE )/m); // loads into any database
    await expectOnePointOf(t, await restore(file), { from: before, to: after });
  });

  it('says what to do when no dump tool is installed (exit 4), and leaves no file', async () => {
    t = await openTestThrds('mariadb');
    await seedChat(t.store, { users: 1, threads: 1, messages: 2 });
    const file = join(dir, 'no-tool.sql');
    const run = await runThrds(['backup', file, '--db', t.database.url], { env: { PATH: join(dir, 'empty-path') } });
    expect(run.stderr).toContain('thrds backup: neither mariadb-dump nor mysqldump is on PATH');
    expect(run.stderr).toContain('mariabackup');
    expect(run.code).toBe(4);
    expect(readdirSync(dir).filter((f) => f.includes('no-tool'))).toEqual([]);
  });
});
