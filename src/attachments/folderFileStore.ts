/**
 * The default FileStore: a content-addressed folder. A file's name is the
 * SHA-256 of its bytes, under a folder named for its first two hex digits
 * (`<dir>/ab/ab12…`), so no folder grows past what a directory listing
 * handles well and the same bytes are stored once.
 *
 * A put writes a temporary file beside the final name, fsyncs it, renames it
 * into place and fsyncs the folder: a reader sees the whole file or none,
 * and two puts of the same bytes each rename a complete copy over the name.
 * Folders are made on the first put, so a server that never stores a file
 * creates nothing. Names are checked to be 64 lowercase hex digits before
 * they touch the file system: no name can reach outside the folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { ByteRange, FileStore } from './attachmentTypes.ts';

/** Where the bytes go unless THRDS_FILES_DIR (or a command's --files-dir) says otherwise. */
export const DEFAULT_FILES_DIR = './data/files';

const SHA256 = /^[0-9a-f]{64}$/;
const SHARD = /^[0-9a-f]{2}$/;
/** Temporary names start with a dot: never a digest, so `list` passes them by. */
const TEMPORARY_PREFIX = '.put-';

export function isSha256(name: string): boolean {
  return SHA256.test(name);
}

function checkedName(sha256: string): string {
  if (!isSha256(sha256)) throw new TypeError(`not a SHA-256 file name (64 lowercase hex digits): ${JSON.stringify(sha256.slice(0, 80))}`);
  return sha256;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** fsync a folder, so the names just made or renamed in it survive a crash. */
async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function openFolderFileStore(dir: string): FileStore {
  const root = resolve(dir);
  const shardOf = (sha256: string) => join(root, checkedName(sha256).slice(0, 2));
  const pathOf = (sha256: string) => join(shardOf(sha256), sha256);

  /** The shard folder, made (and made durable) on first use. */
  async function shardFolder(sha256: string): Promise<string> {
    const shard = shardOf(sha256);
    const made = await mkdir(shard, { recursive: true });
    if (made === undefined) return shard;
    // Each folder just made is a new name in its parent.
    for (let folder = shard; dirname(folder) !== folder; folder = dirname(folder)) {
      await syncFolder(dirname(folder));
      if (folder === made) break;
    }
    return shard;
  }

  return {
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const shard = await shardFolder(sha256);
      const temporary = join(shard, `${TEMPORARY_PREFIX}${sha256}-${randomBytes(6).toString('hex')}`);
      const handle = await open(temporary, 'wx');
      try {
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temporary, join(shard, sha256));
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      await syncFolder(shard);
      return { sha256, byteSize: bytes.byteLength };
    },

    async stat(sha256) {
      try {
        const info = await stat(pathOf(sha256));
        return info.isFile() ? { byteSize: info.size, modifiedAt: info.mtimeMs } : undefined;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async open(sha256, range?: ByteRange): Promise<Readable | undefined> {
      if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
        throw new RangeError(`bad byte range ${range.start}-${range.end}`);
      }
      let handle;
      try {
        // Opened before the stream is made: a missing file is `undefined` here, not an error event later.
        handle = await open(pathOf(sha256), 'r');
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },

    async remove(sha256) {
      await rm(pathOf(sha256), { force: true });
    },

    async *list() {
      let shards: string[];
      try {
        shards = (await readdir(root)).filter((name) => SHARD.test(name)).sort();
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      for (const shard of shards) {
        let names: string[];
        try {
          names = await readdir(join(root, shard));
        } catch (error) {
          if (isMissing(error)) continue;
          throw error;
        }
        for (const name of names.sort()) {
          if (!isSha256(name) || !name.startsWith(shard)) continue;
          try {
            const info = await stat(join(root, shard, name));
            if (info.isFile()) yield { sha256: name, byteSize: info.size, modifiedAt: info.mtimeMs };
          } catch (error) {
            // Removed while listed.
            if (!isMissing(error)) throw error;
          }
        }
      }
    },
  };
}
