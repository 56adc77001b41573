/**
 * Attachments through `thrds export` and `thrds import`, between real
 * stores (SQLite and MariaDB, each way) and real folders: the log carries
 * every attachment's metadata (never bytes); `--with-files DIR` copies
 * exactly the files live messages refer to, verified, and `import
 * --with-files DIR` puts them into a fresh file store, where verify finds
 * nothing wrong. A missing or altered file fails the export (no FILE) and
 * refuses the import with nothing written anywhere.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFolderFileStore } from '../../src/attachments/folderFileStore.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { createTestDatabase, type StoreKind, storeKinds, type TestDatabase } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { type AttachmentLog, seedAttachments } from './support/attachmentLog.ts';
import { runThrds } from './support/runThrds.ts';
import { storeExists } from './support/stores.ts';

const kinds = await storeKinds();
const scratch = mkdtempSync(join(tmpdir(), 'thrds-files-export-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;
const newDir = (name: string) => join(scratch, `${name}-${(folders += 1)}`);

const fileOf = (dir: string, sha: string) => join(dir, sha.slice(0, 2), sha);

/** The digests stored in a content-addressed folder. */
function storedIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((shard) => readdirSync(join(dir, shard)))
    .sort();
}

async function inStore<T>(url: string, fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase(url);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const headOf = (url: string) => inStore(url, async (db) => Number((await db.query<{ position: number }>('SELECT position FROM log_head WHERE id = 1'))[0]!.position));
const attachmentRows = (url: string) => inStore(url, async (db) => Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM attachments'))[0]!.n));

describe.each(kinds)('attachments through export and import, from %s', (kind) => {
  // Into the other store when there is one: each way between SQLite and MariaDB.
  const otherKind: StoreKind = kinds.length > 1 ? (kind === 'sqlite' ? 'mariadb' : 'sqlite') : kind;
  let source: TestThrds;
  let sourceDir: string;
  let log: AttachmentLog;
  let exported: string;
  const targets: TestDatabase[] = [];
  const target = async () => {
    const db = await createTestDatabase(otherKind);
    targets.push(db);
    return db;
  };

  beforeAll(async () => {
    source = await openTestThrds(kind);
    sourceDir = newDir('source');
    log = await seedAttachments(source.store, openFolderFileStore(sourceDir), 5);
    exported = (await runThrds(['export', '--db', source.database.url])).stdout;
  });
  afterAll(async () => {
    await source.dispose();
    for (const db of targets) await db.drop();
  });

  // The two round trips run four or five commands in a row, each its own process: minutes on a busy machine.
  it("the exported log carries every live attachment's metadata, and an import without files brings it back, warning of the missing bytes", async () => {
    const carried = exported
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((e) => e.type === 'MessagePosted' && e.content?.fields.attachments?.length)
      .flatMap((e) => e.content.fields.attachments.map((data: unknown) => ({ messageId: e.data.messageId, data })));
    expect(carried).toEqual(log.live);
    // Metadata only: no bytes in the log.
    expect(exported.length).toBeLessThan(20_000);

    const db = await target();
    const filesDir = newDir('target');
    const imported = await runThrds(['import', '-', '--db', db.url, '--files-dir', filesDir], { stdin: exported });
    expect(imported.stdout).toMatch(new RegExp(`^imported ${log.events} events;`));
    expect(imported.stderr).toContain(`import: warning: ${log.liveDigests.size} files the log refers to are not in ${filesDir}: import them with --with-files DIR`);
    expect(imported.code).toBe(0);
    expect(await attachmentRows(db.url)).toBe(log.live.length);
    expect((await runThrds(['export', '--db', db.url])).stdout).toBe(exported);
    const verify = await runThrds(['verify', '--db', db.url, '--files-dir', filesDir, '--json']);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: false, files: { checked: log.liveDigests.size } });
    expect(JSON.parse(verify.stdout).files.problems.every((p: { kind: string }) => p.kind === 'missing')).toBe(true);
    expect(verify.code).toBe(1);
  }, 180_000);

  it('export --with-files copies exactly the files live messages refer to; import --with-files puts them into a fresh file store that verifies clean', async () => {
    const exportDir = newDir('export-files');
    const bytes = [...log.liveDigests].reduce((sum, sha) => sum + readFileSync(fileOf(sourceDir, sha)).length, 0);
    const outDir = newDir('out');
    mkdirSync(outDir);
    const out = join(outDir, 'log.jsonl');
    const exportRun = await runThrds(['export', out, '--with-files', exportDir, '--db', source.database.url], { env: { THRDS_FILES_DIR: sourceDir } });
    expect(exportRun.stdout).toBe(`exported ${log.events} events to ${out}; copied ${log.liveDigests.size} files (${bytes.toLocaleString('en-US')} bytes) to ${exportDir}\n`);
    expect(exportRun.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(exported);
    // The bytes a deleted message left behind stay behind.
    expect(storedIn(exportDir)).toEqual([...log.liveDigests].sort());
    for (const sha of log.leftBehind) expect(existsSync(fileOf(sourceDir, sha))).toBe(true);

    const db = await target();
    const filesDir = newDir('target');
    const imported = await runThrds(['import', out, '--with-files', exportDir, '--db', db.url, '--files-dir', filesDir]);
    expect(imported.stdout).toBe(
      `imported ${log.events} events; head position ${log.events}, hash ${JSON.parse(exported.trim().split('\n').at(-1)!).hash}; put ${log.liveDigests.size} files (${bytes.toLocaleString('en-US')} bytes) into ${filesDir}; read models caught up\n`,
    );
    expect(imported.stderr).not.toContain('warning');
    expect(imported.code).toBe(0);
    expect(storedIn(filesDir)).toEqual([...log.liveDigests].sort());
    const verify = await runThrds(['verify', '--db', db.url, '--files-dir', filesDir]);
    expect(verify.stdout).toContain(`\nfiles: ${log.liveDigests.size} files of ${log.live.length} attachments verified in ${filesDir}\n`);
    expect(verify.stdout).not.toContain('referred to by no message');
    expect(verify.code).toBe(0);
    expect(await attachmentRows(db.url)).toBe(log.live.length);
  }, 180_000);

  it('export --with-files fails on a missing or an altered file, naming it, and leaves no FILE', async () => {
    const broken = newDir('broken');
    cpSync(sourceDir, broken, { recursive: true });
    const [gone, changed] = [...log.liveDigests].sort();
    unlinkSync(fileOf(broken, gone!));
    writeFileSync(fileOf(broken, changed!), 'not what it was');
    const outDir = newDir('out');
    mkdirSync(outDir);
    const out = join(outDir, 'log.jsonl');
    const run = await runThrds(['export', out, '--with-files', newDir('export-files'), '--db', source.database.url, '--files-dir', broken]);
    expect(run.stderr).toContain(`thrds export: 2 files the log refers to cannot be exported from ${broken} (see \`thrds verify\`):\n`);
    expect(run.stderr).toMatch(new RegExp(`\n  missing: ${gone} \\(the (file|thumbnail) of attachment [0-9a-f-]{36} of message [0-9a-f-]{36} at position \\d+`));
    expect(run.stderr).toMatch(new RegExp(`\n  altered: ${changed} \\(.*\\): its 15 bytes hash to [0-9a-f]{64}`));
    expect(run.code).toBe(1);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it.each([['a missing', 'missing'], ['an altered', 'altered']])('import --with-files refuses %s file: nothing in the store, nothing in the file store', async (_, how) => {
    const exportDir = newDir('export-files');
    expect((await runThrds(['export', '-', '--with-files', exportDir, '--db', source.database.url, '--files-dir', sourceDir, '-q'])).code).toBe(0);
    const victim = [...log.liveDigests].sort()[1]!;
    if (how === 'missing') unlinkSync(fileOf(exportDir, victim));
    else writeFileSync(fileOf(exportDir, victim), Buffer.concat([readFileSync(fileOf(exportDir, victim)), Buffer.from([0])]));
    const db = await target();
    const filesDir = newDir('target');
    const run = await runThrds(['import', '-', '--with-files', exportDir, '--db', db.url, '--files-dir', filesDir], { stdin: exported });
    expect(run.stderr).toContain(`thrds import: refused: 1 file the log refers to missing or altered in ${exportDir}:\n  ${how}: ${victim} (`);
    expect(run.stderr).toMatch(/; nothing was imported\n$/);
    expect(run.code).toBe(1);
    expect(await headOf(db.url)).toBe(0);
    expect(await attachmentRows(db.url)).toBe(0);
    expect(storedIn(filesDir)).toEqual([]);
  });

  it('import --with-files of a folder that does not exist is bad usage, found before any store is made', async () => {
    const db = await target();
    const run = await runThrds(['import', '-', '--with-files', join(scratch, 'nowhere'), '--db', db.url], { stdin: exported });
    expect(run.stderr).toContain(`thrds import: cannot read files from ${join(scratch, 'nowhere')}: no such directory`);
    expect(run.code).toBe(2);
    expect(await storeExists(db.url)).toBe(false);
  });
});
