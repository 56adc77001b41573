/**
 * Erasure of a deleted message's files. The append has already removed its
 * attachments' rows (the read model) and erased their metadata from the log;
 * this removes the uploads rows (they hold the names) and the bytes no other
 * attachment or upload still uses (the same bytes may be shared: the store
 * is content-addressed). It runs after the append, so a crash in between
 * leaves files that nobody refers to; the sweep (sweep.ts) removes those.
 */
import type { Database } from '../db/database.ts';
import { log, logFailure } from '../observability/log.ts';
import type { AttachmentRow } from '../projections/attachmentsProjection.ts';
import { attachmentsByMessageIds, digestsInUse } from '../projections/attachmentsQueries.ts';
import { type AttachmentData, digestsOf } from './attachmentTypes.ts';
import type { Attachments } from './attachments.ts';
import { deleteUploads } from './uploadRows.ts';

/** The message's attachments, read before its deletion is appended. */
export async function attachmentsOfMessage(db: Database, messageId: string): Promise<AttachmentRow[]> {
  return (await attachmentsByMessageIds(db, [messageId])).get(messageId) ?? [];
}

/** Removes each of `digests` from the store unless something still refers to it; returns how many went. */
export async function removeUnreferenced(db: Database, attachments: Attachments, digests: readonly string[]): Promise<number> {
  const unique = [...new Set(digests)];
  const used = await digestsInUse(db, unique);
  const unused = unique.filter((digest) => !used.has(digest));
  for (const digest of unused) await attachments.files.remove(digest);
  attachments.stats.filesRemoved += unused.length;
  return unused.length;
}

/**
 * Removes these attachments' uploads rows (they hold the names), then their
 * bytes where nothing else refers to them; returns how many files went.
 */
export async function removeAttachmentFiles(db: Database, attachments: Attachments, list: readonly AttachmentData[]): Promise<number> {
  await deleteUploads(
    db,
    list.map((attachment) => attachment.id),
  );
  return removeUnreferenced(db, attachments, list.flatMap(digestsOf));
}

/**
 * Erases the files of a message just deleted. Never fails the deletion (it
 * is committed): a failure is logged, and the sweep finishes the job.
 */
export async function eraseAttachments(db: Database, attachments: Attachments | undefined, rows: readonly AttachmentRow[]): Promise<void> {
  if (!attachments || rows.length === 0) return;
  try {
    await removeAttachmentFiles(db, attachments, rows);
  } catch (error) {
    logFailure(log, error, 'erasing a deleted message\'s files failed; the sweep will remove them', 'warn');
  }
}
