/**
 * Copies the files a log refers to from one file store to another
 * (`thrds export --with-files`, `thrds import --with-files`), verifying
 * every one on the way: bytes that are missing, or that do not hash to the
 * digest the log holds, are reported and never copied.
 */
import { createHash } from 'node:crypto';
import type { FileStore } from '../attachments/attachmentTypes.ts';
import type { AttachmentRefs, FileRef } from './attachmentRefs.ts';
import type { FileProblem } from './fileCheck.ts';

export interface CopyOptions {
  /** false: only check what a copy would find (nothing is written). Default true. */
  readonly write?: boolean;
  /** Told of each digest the target did not hold before this copy put it there. */
  readonly onCreated?: (sha256: string) => void;
  readonly concurrency?: number;
}

export interface CopyResult {
  /** Files found whole (and, when writing, put into the target). */
  readonly copied: number;
  readonly bytes: number;
  /** In log order. */
  readonly problems: readonly FileProblem[];
}

async function readWhole(store: FileStore, sha256: string): Promise<Buffer | undefined> {
  const stream = await store.open(sha256);
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function copyFiles(refs: AttachmentRefs, from: FileStore, to: FileStore, options: CopyOptions = {}): Promise<CopyResult> {
  const write = options.write ?? true;
  const problems: FileProblem[] = [];
  let copied = 0;
  let bytes = 0;
  const copyOne = async (ref: FileRef) => {
    const content = await readWhole(from, ref.sha256);
    if (!content) {
      problems.push({ kind: 'missing', ref });
      return;
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    if (sha256 !== ref.sha256) {
      problems.push({ kind: 'altered', ref, actual: { sha256, byteSize: content.length } });
      return;
    }
    if (write) {
      const existed = (await to.stat(sha256)) !== undefined;
      await to.put(content);
      if (!existed) options.onCreated?.(sha256);
    }
    copied += 1;
    bytes += content.length;
  };
  const queue = refs[Symbol.iterator]();
  let stopped = false;
  const worker = async () => {
    try {
      for (let next = queue.next(); !next.done && !stopped; next = queue.next()) await copyOne(next.value);
    } catch (error) {
      stopped = true;
      throw error;
    }
  };
  // Every worker settles before a failure is thrown: no put may land after the caller cleans up.
  const settled = await Promise.allSettled(Array.from({ length: options.concurrency ?? 4 }, worker));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  problems.sort((a, b) => a.ref.position - b.ref.position || a.ref.sha256.localeCompare(b.ref.sha256));
  return { copied, bytes, problems };
}

