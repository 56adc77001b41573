/**
 * The content-addressed folder store on a real file system: bytes go in
 * under their SHA-256 and come back whole or by range; the same bytes are
 * stored once, also when put concurrently; nothing is created until the
 * first put; a name that is not a digest never reaches the file system.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openFolderFileStore } from '../../src/attachments/folderFileStore.ts';

const scratch = mkdtempSync(join(tmpdir(), 'thrds-folder-store-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let folders = 0;
const freshDir = () => join(scratch, `store-${(folders += 1)}`);
const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: Readable | undefined): Promise<Buffer> {
  if (!stream) throw new Error('no stream');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listed(store: ReturnType<typeof openFolderFileStore>) {
  const all = [];
  for await (const entry of store.list()) all.push(entry);
  return all;
}

describe('the folder file store', () => {
  it('stores bytes at <dir>/<first two hex digits>/<sha256> and gives them back', async () => {
    const dir = freshDir();
    const store = openFolderFileStore(dir);
    const bytes = Buffer.from('a picture, honestly');
    const put = await store.put(bytes);
    expect(put).toEqual({ sha256: sha(bytes), byteSize: bytes.length });
    expect(readFileSync(join(dir, put.sha256.slice(0, 2), put.sha256))).toEqual(bytes);
    expect(await readAll(await store.open(put.sha256))).toEqual(bytes);
    expect(await store.stat(put.sha256)).toMatchObject({ byteSize: bytes.length });
    expect((await store.stat(put.sha256))!.modifiedAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('creates nothing until the first put: stat, open, list and remove on a missing folder find nothing', async () => {
    const dir = join(freshDir(), 'deeper', 'files');
    const store = openFolderFileStore(dir);
    const missing = sha('never stored');
    expect(await store.stat(missing)).toBeUndefined();
    expect(await store.open(missing)).toBeUndefined();
    expect(await store.open(missing, { start: 0, end: 3 })).toBeUndefined();
    await store.remove(missing);
    expect(await listed(store)).toEqual([]);
    expect(existsSync(join(dir, '..'))).toBe(false);
    // The first put makes every folder on the way.
    await store.put(Buffer.from('first'));
    expect(readdirSync(dir)).toEqual([sha('first').slice(0, 2)]);
  });

  it('gives byte ranges, both ends inclusive', async () => {
    const store = openFolderFileStore(freshDir());
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    const { sha256 } = await store.put(bytes);
    expect(await readAll(await store.open(sha256, { start: 0, end: 0 }))).toEqual(bytes.subarray(0, 1));
    expect(await readAll(await store.open(sha256, { start: 10, end: 19 }))).toEqual(bytes.subarray(10, 20));
    expect(await readAll(await store.open(sha256, { start: 990, end: 999 }))).toEqual(bytes.subarray(990));
    // Past the end: what there is (the HTTP layer answers 416 from stat before it asks).
    expect(await readAll(await store.open(sha256, { start: 995, end: 5000 }))).toEqual(bytes.subarray(995));
    await expect(store.open(sha256, { start: 5, end: 4 })).rejects.toThrow(RangeError);
    await expect(store.open(sha256, { start: -1, end: 4 })).rejects.toThrow(RangeError);
  });

  it('stores the same bytes once, also when they are put concurrently, and leaves no temporary file', async () => {
    const dir = freshDir();
    const store = openFolderFileStore(dir);
    const bytes = Buffer.alloc(256 * 1024, 7);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.put(bytes)));
    expect(new Set(results.map((r) => r.sha256))).toEqual(new Set([sha(bytes)]));
    const shard = join(dir, sha(bytes).slice(0, 2));
    expect(readdirSync(shard)).toEqual([sha(bytes)]);
    expect(readFileSync(join(shard, sha(bytes)))).toEqual(bytes);
    expect(await listed(store)).toEqual([{ sha256: sha(bytes), byteSize: bytes.length, modifiedAt: expect.any(Number) }]);
  });

  it('a put of bytes whose file was altered puts the right bytes back', async () => {
    const dir = freshDir();
    const store = openFolderFileStore(dir);
    const bytes = Buffer.from('the original');
    const { sha256 } = await store.put(bytes);
    writeFileSync(join(dir, sha256.slice(0, 2), sha256), 'tampered');
    await store.put(bytes);
    expect(await readAll(await store.open(sha256))).toEqual(bytes);
  });

  it('lists every stored file and nothing else (temporary files, stray names, folders)', async () => {
    const dir = freshDir();
    const store = openFolderFileStore(dir);
    const stored = await Promise.all(['one', 'two', 'three', ''].map((text) => store.put(Buffer.from(text))));
    const first = stored[0]!.sha256;
    writeFileSync(join(dir, first.slice(0, 2), `.put-${first}-abcdef`), 'half written');
    writeFileSync(join(dir, first.slice(0, 2), 'notes.txt'), 'stray');
    writeFileSync(join(dir, 'README'), 'stray');
    // A digest filed under the wrong shard is not where open would look: not listed.
    const misfiled = sha('misfiled');
    mkdirSync(join(dir, misfiled.slice(0, 2) === 'ff' ? 'fe' : 'ff'), { recursive: true });
    writeFileSync(join(dir, misfiled.slice(0, 2) === 'ff' ? 'fe' : 'ff', misfiled), 'misfiled');
    mkdirSync(join(dir, 'zz'));
    const all = await listed(store);
    expect(all.map((f) => f.sha256).sort()).toEqual(stored.map((s) => s.sha256).sort());
    expect(all.find((f) => f.sha256 === sha(''))!.byteSize).toBe(0);
  });

  it('removes a file; removing a missing one is not an error', async () => {
    const store = openFolderFileStore(freshDir());
    const { sha256 } = await store.put(Buffer.from('short-lived'));
    await store.remove(sha256);
    expect(await store.stat(sha256)).toBeUndefined();
    expect(await store.open(sha256)).toBeUndefined();
    await store.remove(sha256);
    expect(await listed(store)).toEqual([]);
  });

  it('refuses any name that is not 64 lowercase hex digits before it touches the file system', async () => {
    const dir = freshDir();
    const store = openFolderFileStore(join(dir, 'files'));
    const outside = join(dir, 'secret');
    mkdirSync(dir);
    writeFileSync(outside, 'not yours');
    const bad = ['../secret', '../../etc/passwd', `${'a'.repeat(63)}/`, 'A'.repeat(64), `${'a'.repeat(64)}\0`, '', `../${'a'.repeat(61)}`, `${'a'.repeat(65)}`];
    for (const name of bad) {
      await expect(store.stat(name)).rejects.toThrow(TypeError);
      await expect(store.open(name)).rejects.toThrow(TypeError);
      await expect(store.remove(name)).rejects.toThrow(TypeError);
    }
    expect(readFileSync(outside, 'utf8')).toBe('not yours');
    expect(existsSync(join(dir, 'files'))).toBe(false);
  });
});
