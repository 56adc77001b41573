/**
 * The file half of `thrds verify`: every file the log refers to
 * (attachmentRefs.ts) is in the file store and its bytes hash to the
 * digest the log holds; files the store holds that the log does not refer
 * to are counted (unposted uploads, or bytes of deleted messages that the
 * server has not removed yet: its sweep does, once they are an hour old).
 */
import { createHash } from 'node:crypto';
import type { FileStore } from '../attachments/attachmentTypes.ts';
import type { AttachmentRefs, FileRef } from './attachmentRefs.ts';

export interface FileProblem {
  readonly kind: 'missing' | 'altered';
  readonly ref: FileRef;
  /** For an altered file: what its bytes hash to, and how many there are. */
  readonly actual?: { readonly sha256: string; readonly byteSize: number };
}

export interface FileCheckResult {
  /** Attachments of live messages in the log. */
  readonly attachments: number;
  /** Distinct files they refer to, each checked. */
  readonly checked: number;
  readonly problems: readonly FileProblem[];
  /** Stored files no live message refers to. */
  readonly unreferenced: { readonly files: number; readonly bytes: number };
}

export interface FileCheckOptions {
  readonly onProgress?: (done: number, total: number) => void;
  /** Files hashed at the same time: the disk, not the CPU, is the limit. */
  readonly concurrency?: number;
  /**
   * Asked before a problem is reported: whether its message still refers to
   * the file. A message deleted while the check ran (its bytes removed just
   * after) is no problem.
   */
  readonly stillReferred?: (ref: FileRef) => Promise<boolean>;
}

/** What a stored file's bytes hash to; undefined when there is no such file. */
export async function hashStoredFile(store: FileStore, sha256: string): Promise<{ sha256: string; byteSize: number } | undefined> {
  const stream = await store.open(sha256);
  if (!stream) return undefined;
  const hash = createHash('sha256');
  let byteSize = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    byteSize += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), byteSize };
}

/** Checks one referred file: undefined when it is there and whole. */
export async function checkFile(store: FileStore, ref: FileRef): Promise<FileProblem | undefined> {
  const actual = await hashStoredFile(store, ref.sha256);
  if (!actual) return { kind: 'missing', ref };
  return actual.sha256 === ref.sha256 ? undefined : { kind: 'altered', ref, actual };
}

export async function checkFiles(refs: AttachmentRefs, store: FileStore, options: FileCheckOptions = {}): Promise<FileCheckResult> {
  const problems: FileProblem[] = [];
  const queue = refs[Symbol.iterator]();
  let done = 0;
  const worker = async () => {
    for (let next = queue.next(); !next.done; next = queue.next()) {
      const problem = await checkFile(store, next.value);
      if (problem && (await (options.stillReferred?.(problem.ref) ?? true))) problems.push(problem);
      done += 1;
      if ((done & 0xff) === 0) options.onProgress?.(done, refs.size);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  // Reported in log order, whatever order the workers finished in.
  problems.sort((a, b) => a.ref.position - b.ref.position || a.ref.sha256.localeCompare(b.ref.sha256));
  let files = 0;
  let bytes = 0;
  for await (const stored of store.list()) {
    if (refs.has(stored.sha256)) continue;
    files += 1;
    bytes += stored.byteSize;
  }
  return { attachments: refs.attachments, checked: refs.size, problems, unreferenced: { files, bytes } };
}

/** One line a person reads: which bytes, whose they are, what is wrong with them. */
export function describeProblem({ kind, ref, actual }: FileProblem): string {
  const more = ref.uses > 1 ? `, and ${ref.uses - 1} more` : '';
  const owner = ref.role === 'avatar' ? `avatar ${ref.attachmentId} of user ${ref.messageId}` : `${ref.role} of attachment ${ref.attachmentId} of message ${ref.messageId}`;
  const whose = `the ${owner} at position ${ref.position}${more}`;
  const what = actual ? `: its ${actual.byteSize} bytes hash to ${actual.sha256}` : '';
  return `${kind}: ${ref.sha256} (${whose})${what}`;
}

/** The first `shown` problems as indented lines, and how many more there are. */
export function problemLines(problems: readonly FileProblem[], shown = 20): string[] {
  const lines = problems.slice(0, shown).map((p) => `  ${describeProblem(p)}`);
  return problems.length > shown ? [...lines, `  … and ${problems.length - shown} more`] : lines;
}

/** The same, as JSON output lists it. */
export function problemJson({ kind, ref, actual }: FileProblem): Record<string, unknown> {
  const { sha256, attachmentId, messageId, position, role, uses } = ref;
  return { kind, sha256, attachmentId, messageId, position, role, uses, ...(actual ? { actual } : {}) };
}
