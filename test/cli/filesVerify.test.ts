/**
 * `thrds verify` and the files a log refers to, on real stores and a real
 * folder: a log whose files are all there and whole passes and says so;
 * a removed file is reported missing and a changed byte altered (attachment,
 * message, digest; exit 1); a deleted message's bytes are not checked, and
 * bytes left behind are counted, not failed; a log without attachments
 * prints nothing new and creates no folder; --no-files checks the log alone.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openFolderFileStore } from '../../src/attachments/folderFileStore.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { seedAttachments } from './support/attachmentLog.ts';
import { seedChat } from './support/chatLog.ts';
import { runThrds } from './support/runThrds.ts';

const kinds = await storeKinds();
const scratch = mkdtempSync(join(tmpdir(), 'thrds-files-verify-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;

const fileOf = (dir: string, sha: string) => join(dir, sha.slice(0, 2), sha);

describe.each(kinds)('thrds verify with files on %s', (kind) => {
  let t: TestThrds | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  async function seeded() {
    t = await openTestThrds(kind);
    const dir = join(scratch, `files-${(folders += 1)}`);
    const log = await seedAttachments(t.store, openFolderFileStore(dir), 6);
    return { t, dir, log };
  }

  it('passes a log whose files are all there and whole, and counts the bytes a deleted message left behind', async () => {
    const { t, dir, log } = await seeded();
    const attachments = log.live.length;
    const files = log.liveDigests.size;
    // Two attachments share their bytes: fewer files than attachments and thumbnails.
    expect(files).toBeLessThan(attachments + log.live.filter((a) => a.data.thumbnail).length);
    const [text, json] = await Promise.all([
      runThrds(['verify', '--db', t.database.url, '--files-dir', dir]),
      runThrds(['verify', '--db', t.database.url, '--json'], { env: { THRDS_FILES_DIR: dir } }),
    ]);
    const leftBytes = log.leftBehind.reduce((sum, sha) => sum + readFileSync(fileOf(dir, sha)).length, 0);
    expect(text.stdout).toMatch(new RegExp(`^ok: ${log.events} events verified; head position ${log.events}, hash [0-9a-f]{64}\n`));
    expect(text.stdout).toContain('erasures: 2 events carry erased content, erased by 2 events\n');
    expect(text.stdout).toContain(`\nfiles: ${files} files of ${attachments} attachments verified in ${dir}\n`);
    expect(text.stdout).toContain(`\nfiles: ${log.leftBehind.length} stored files (${leftBytes.toLocaleString('en-US')} bytes) referred to by no message: `);
    expect(text.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      count: log.events,
      files: { dir, attachments, checked: files, problems: [], unreferenced: { files: log.leftBehind.length, bytes: leftBytes } },
    });
    expect(json.code).toBe(0);
  });

  it('reports a removed file as missing, with its attachment, message and digest, and exits 1', async () => {
    const { t, dir, log } = await seeded();
    const victim = log.live.find((a) => a.data.thumbnail && log.live.filter((b) => b.data.sha256 === a.data.sha256).length === 1)!;
    unlinkSync(fileOf(dir, victim.data.sha256));
    const [text, json, logOnly] = await Promise.all([
      runThrds(['verify', '--db', t.database.url, '--files-dir', dir]),
      runThrds(['verify', '--db', t.database.url, '--files-dir', dir, '--json']),
      runThrds(['verify', '--db', t.database.url, '--files-dir', dir, '--no-files']),
    ]);
    // --no-files checks the log alone.
    expect(logOnly.stdout).toMatch(/^ok: \d+ events verified.*\nerasures: .*\n$/);
    expect(logOnly.code).toBe(0);
    // The log itself is fine; its files are not.
    expect(text.stdout).toMatch(/^ok: \d+ events verified/);
    expect(text.stdout).toContain(`\nFAILED files: 1 missing, 0 altered, of ${log.liveDigests.size} files of ${log.live.length} attachments in ${dir}\n`);
    expect(text.stdout).toMatch(new RegExp(`\n  missing: ${victim.data.sha256} \\(the file of attachment ${victim.data.id} of message ${victim.messageId} at position \\d+\\)\n`));
    expect(text.code).toBe(1);
    const result = JSON.parse(json.stdout);
    expect(result.ok).toBe(false);
    expect(result.files.problems).toEqual([
      { kind: 'missing', sha256: victim.data.sha256, attachmentId: victim.data.id, messageId: victim.messageId, position: expect.any(Number), role: 'file', uses: 1 },
    ]);
    expect(json.code).toBe(1);
  });

  it('reports a file with one byte changed as altered, with what its bytes hash to, and a missing thumbnail as missing', async () => {
    const { t, dir, log } = await seeded();
    // Bytes of one attachment only: the report names the first attachment that refers to them.
    const altered = log.live.find((a) => !a.data.thumbnail && log.live.filter((b) => b.data.sha256 === a.data.sha256).length === 1)!;
    const path = fileOf(dir, altered.data.sha256);
    const bytes = readFileSync(path);
    const middle = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 1, middle);
    writeFileSync(path, bytes);
    const thumbnailOf = log.live.find((a) => a.data.thumbnail && a.messageId !== altered.messageId)!;
    unlinkSync(fileOf(dir, thumbnailOf.data.thumbnail!.sha256));
    const run = await runThrds(['verify', '--db', t.database.url, '--files-dir', dir, '--json']);
    const { files } = JSON.parse(run.stdout);
    expect(files.problems).toHaveLength(2);
    expect(files.problems).toContainEqual(
      expect.objectContaining({ kind: 'altered', sha256: altered.data.sha256, attachmentId: altered.data.id, messageId: altered.messageId, role: 'file', actual: { sha256: expect.not.stringMatching(altered.data.sha256), byteSize: bytes.length } }),
    );
    expect(files.problems).toContainEqual(expect.objectContaining({ kind: 'missing', sha256: thumbnailOf.data.thumbnail!.sha256, attachmentId: thumbnailOf.data.id, role: 'thumbnail' }));
    expect(run.code).toBe(1);
    const text = await runThrds(['verify', '--db', t.database.url, '--files-dir', dir]);
    expect(text.stdout).toContain('FAILED files: 1 missing, 1 altered, of ');
    expect(text.stdout).toMatch(new RegExp(`\n  altered: ${altered.data.sha256} \\(the file of attachment ${altered.data.id} .*\\): its ${bytes.length} bytes hash to [0-9a-f]{64}\n`));
    expect(text.code).toBe(1);
  });

  it("does not ask for a deleted message's files: removing the bytes it left behind changes nothing but the count", async () => {
    const { t, dir, log } = await seeded();
    for (const sha of log.leftBehind) unlinkSync(fileOf(dir, sha));
    const run = await runThrds(['verify', '--db', t.database.url, '--files-dir', dir, '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, files: { problems: [], unreferenced: { files: 0, bytes: 0 } } });
    expect(run.code).toBe(0);
  });

  it('prints nothing about files for a log without attachments, and creates no folder', async () => {
    t = await openTestThrds(kind);
    await seedChat(t.store, { users: 2, threads: 2, messages: 5 });
    const head = await t.store.head();
    const dir = join(scratch, `never-${(folders += 1)}`, 'files');
    const [text, json] = await Promise.all([
      runThrds(['verify', '--db', t.database.url, '--files-dir', dir]),
      runThrds(['verify', '--db', t.database.url, '--json'], { env: { THRDS_FILES_DIR: dir } }),
    ]);
    expect(text.stdout).toBe(`ok: ${head.position} events verified; head position ${head.position}, hash ${head.hash}\nerasures: 0 events carry erased content, erased by 0 events\n`);
    expect(text.code).toBe(0);
    expect(JSON.parse(json.stdout)).not.toHaveProperty('files');
    expect(existsSync(join(dir, '..'))).toBe(false);
  });
});
