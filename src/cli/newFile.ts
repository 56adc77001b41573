/**
 * Files a command writes (`export FILE`, `backup FILE`): written under a
 * temporary name beside FILE and moved into place only when complete, so
 * FILE is never seen half-written; an existing FILE is replaced only when
 * asked (`--force`), and that check holds even against a file that appears
 * meanwhile (link(2) refuses an existing name).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './exitCodes.ts';

export interface NewFile {
  /** Where to write: a temporary file beside the target. */
  readonly temporary: string;
  readonly target: string;
  /** Moves the finished temporary file into place. */
  publish(): Promise<void>;
  /** Removes the temporary file (after a failure). */
  discard(): Promise<void>;
}

/** Checks at once that FILE can be written (its directory exists; it does not, unless `force`). */
export function newFile(file: string, force: boolean): NewFile {
  const target = resolve(file);
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`cannot write ${file}: directory ${dir} does not exist`);
  if (!force && existsSync(target)) throw new UsageError(`${file} exists: choose another name, or pass --force to replace it`);
  const temporary = join(dir, `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`);
  return {
    temporary,
    target,
    async publish() {
      await syncFile(temporary);
      if (force) await rename(temporary, target);
      else {
        try {
          await link(temporary, target);
        } catch (error) {
          await rm(temporary, { force: true });
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${file} exists: choose another name, or pass --force to replace it`);
          throw error;
        }
        await rm(temporary);
      }
      await syncFile(dir);
    },
    async discard() {
      await rm(temporary, { force: true });
    },
  };
}

/** fsync, so a published file is on disk before its name is. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
