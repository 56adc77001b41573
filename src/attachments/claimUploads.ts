/**
 * A post takes its attachments from the poster's uploads: the claim marks
 * them with the post's token in one transaction (rows locked), so two posts
 * racing for one upload cannot both have it, and a retry of the same post
 * (same token) gets the same uploads again.
 */
import { NotFoundError, ValidationError } from '../errors.ts';
import { validate } from '../input/limits.ts';
import type { Actor, CommandDeps } from '../modules/commandDeps.ts';
import type { AttachmentData } from './attachmentTypes.ts';
import { claimRows, releaseRows, uploadsByIds } from './uploadRows.ts';

/** Attachments one message may carry. */
export const MAX_ATTACHMENTS = 10;

/** The ids checked: each a UUID, none twice, at most MAX_ATTACHMENTS. */
export function attachmentIds(ids: readonly string[]): string[] {
  if (ids.length > MAX_ATTACHMENTS) throw new ValidationError(`A message may carry at most ${MAX_ATTACHMENTS} attachments (got ${ids.length})`, { field: 'attachmentIds', max: MAX_ATTACHMENTS });
  const checked = ids.map((id) => validate.uuid(id, 'attachmentIds'));
  if (new Set(checked).size !== checked.length) throw new ValidationError('attachmentIds lists an upload twice', { field: 'attachmentIds' });
  return checked;
}

/**
 * Claims the actor's own unposted uploads for one post, atomically, and
 * returns their metadata in the order of `ids`. `claimToken` identifies the
 * post (the idempotency key when there is one, else the new message id): a
 * retry with the same token claims the same uploads again. NOT_FOUND for an
 * id that is not an upload of the actor's; BAD_USER_INPUT for one already
 * posted (claimed under another token).
 */
export async function claimUploads(deps: CommandDeps, actor: Actor, ids: readonly string[], claimToken: string): Promise<AttachmentData[]> {
  const wanted = attachmentIds(ids);
  if (wanted.length === 0) return [];
  return deps.db.transaction(async (tx) => {
    const rows = await uploadsByIds(tx, wanted, deps.db.forUpdate);
    const byId = new Map(rows.map((row) => [row.id, row]));
    // Another user's upload reads exactly like one that does not exist.
    const missing = wanted.filter((id) => byId.get(id)?.ownerId !== actor.userId);
    if (missing.length > 0) throw new NotFoundError(`No upload ${missing[0]}`, { attachmentIds: missing });
    const taken = wanted.filter((id) => ![null, claimToken].includes(byId.get(id)!.claimToken));
    if (taken.length > 0) throw new ValidationError(`Upload ${taken[0]} is already posted`, { field: 'attachmentIds', attachmentIds: taken });
    const free = wanted.filter((id) => byId.get(id)!.claimToken === null);
    const claimed = await claimRows(tx, actor.userId, free, claimToken);
    // The rows are locked: nothing can take one between the read and the update. Checked all the same.
    if (claimed !== free.length) throw new ValidationError('An upload was posted by another request at the same time', { field: 'attachmentIds' });
    return wanted.map((id) => byId.get(id)!.data);
  });
}

/** Undoes a claim whose append failed, so the uploads can be posted again. */
export async function releaseUploads(deps: CommandDeps, actor: Actor, ids: readonly string[], claimToken: string): Promise<void> {
  await releaseRows(deps.db, actor.userId, ids, claimToken);
}
