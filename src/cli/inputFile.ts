/** The input a command reads: FILE, or standard input for `-` or no FILE (never a terminal left waiting). */
import { open } from 'node:fs/promises';
import { UsageError } from './exitCodes.ts';

export async function openInput(file: string | undefined): Promise<{ stream: NodeJS.ReadableStream; name: string }> {
  if (file === undefined || file === '-') {
    if (process.stdin.isTTY) throw new UsageError('no input: give FILE, or pipe a log into standard input (thrds import < log.jsonl)');
    return { stream: process.stdin, name: 'standard input' };
  }
  try {
    const handle = await open(file, 'r');
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw new UsageError(`cannot read ${file}: it is a directory`);
    }
    return { stream: handle.createReadStream(), name: file };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
  }
}
