/**
 * A small filesystem that can be filled: a tmpfs mounted on a temporary
 * directory (needs root, or CAP_SYS_ADMIN), and a filler file that takes every
 * free byte until `free()`. Where mounting is not allowed, `mountSmallDisk`
 * resolves with the reason instead, and the test skips saying so.
 */
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SmallDisk {
  readonly dir: string;
  /** Writes a filler file until the filesystem refuses (ENOSPC). */
  fill(): void;
  /** Deletes the filler. */
  free(): void;
  /** Bytes still free. */
  available(): number;
  unmount(): Promise<void>;
}

export async function mountSmallDisk(sizeMb: number): Promise<SmallDisk | { readonly unavailable: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'thrds-disk-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', dir]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { unavailable: `cannot mount a ${sizeMb} MB tmpfs (needs root or CAP_SYS_ADMIN): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  const filler = join(dir, 'filler');
  let mounted = true;
  const unmount = async () => {
    if (!mounted) return;
    mounted = false;
    await run('umount', ['-l', dir]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', () => {
    if (mounted) void run('umount', ['-l', dir]).catch(() => undefined);
  });
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024);
      try {
        for (;;) {
          try {
            writeSync(fd, chunk);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
            // Fill the last partial chunk too, byte by byte down to nothing.
            for (let size = 32 * 1024; size >= 1; size = Math.floor(size / 2)) {
              try {
                for (;;) writeSync(fd, chunk, 0, size);
              } catch (inner) {
                if ((inner as NodeJS.ErrnoException).code !== 'ENOSPC') throw inner;
              }
            }
            return;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    available() {
      const stats = statfsSync(dir);
      return stats.bavail * stats.bsize;
    },
    unmount,
  };
}
