/**
 * UserAvatarChanged: a user set their avatar from one of their own image
 * uploads (its WebP thumbnail, within 480×480), or cleared it (null).
 *
 * Privacy: the picture's digest and size are erasable content under a key
 * of their own (`avatar:<avatarId>`, a fresh id each change), and every
 * change erases the key of the avatar it replaces: the log keeps no trace
 * of a picture once it is replaced or cleared, and the bytes go once
 * nothing else refers to them (attachmentsQueries.ts `digestsInUse` counts
 * users' current avatars, so neither the sweep of unposted uploads nor a
 * deleted message's erasure removes them).
 *
 * The upload must not be posted yet: a posted picture's bytes go with its
 * message when it is deleted, and an avatar made of them would outlive that
 * deletion. Setting the avatar uses the upload up (its row goes, and the
 * full-size image with it unless a message uses the same bytes).
 */
import { digestsOf } from '../attachments/attachmentTypes.ts';
import type { AvatarOutcome } from '../attachments/attachments.ts';
import { removeUnreferenced } from '../attachments/eraseFiles.ts';
import { claimRows, deleteUploads, releaseRows, type UploadRow, uploadsByIds } from '../attachments/uploadRows.ts';
import { NotFoundError, RateLimitedError, ThrdsError, ValidationError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { validate } from '../input/limits.ts';
import { log, logFailure } from '../observability/log.ts';
import type { AvatarRow, UserRow } from '../projections/usersProjection.ts';
import { avatarForChange } from '../projections/usersQueries.ts';
import { type Actor, type CommandDeps, decidedAgainOnConflict, isVersionConflict, metadataFor } from './commandDeps.ts';
import { defineEvent, newEvent } from './eventModule.ts';
import { assertMayWrite } from './permissions.ts';

/** The stored picture an avatar shows, as the log records it. */
export interface AvatarImage {
  readonly sha256: string;
  readonly contentType: string;
  readonly byteSize: number;
  readonly width: number;
  readonly height: number;
}

export type UserAvatarChangedData = {
  readonly userId: string;
  /** Names this change: the erasure key of its content and the avatar's URL (`/files/<avatarId>/avatar`). */
  readonly avatarId: string;
  /** Erasable: the picture, or null when cleared ('' read back once a later change erased it). */
  readonly avatar: AvatarImage | null;
  /** The key of the avatar this one replaces, erased with this append. */
  readonly erases?: string;
};

/** The erasure key of one avatar change's content. */
export const avatarContentKey = (avatarId: string): string => `avatar:${avatarId}`;

export const userAvatarChanged = defineEvent<UserAvatarChangedData>()({
  type: 'UserAvatarChanged',
  schemaVersion: 1,
  upcasters: {},
  stream: 'user',
  erasable: { fields: ['avatar'], key: (data) => avatarContentKey(data.avatarId) },
  evolve: {
    users: (changes, { data }) => changes.change(data.userId, { avatar: avatarRowOf(data) }),
  },
});

/** The read model's avatar after this change: null when cleared, or when its content was erased (a later change follows it). */
export function avatarRowOf(data: UserAvatarChangedData): AvatarRow | null {
  const { avatar } = data;
  if (avatar === null || typeof avatar !== 'object') return null;
  return { id: data.avatarId, sha256: avatar.sha256, contentType: avatar.contentType, byteSize: avatar.byteSize };
}

/**
 * Pure. The picture an upload gives an avatar: the actor's own (NOT_FOUND
 * otherwise, as for an unknown id), not yet posted, and an image.
 */
export function avatarImageOf(upload: UploadRow | undefined, uploadId: string, actor: Actor): AvatarImage {
  if (!upload || upload.ownerId !== actor.userId) throw new NotFoundError(`No upload ${uploadId}`, { attachmentId: uploadId });
  if (upload.claimToken !== null) throw new ValidationError(`Upload ${uploadId} is already posted: upload the picture again for an avatar`, { field: 'attachmentId', reason: 'ALREADY_POSTED' });
  const { thumbnail } = upload.data;
  if (!thumbnail) throw new ValidationError(`Upload ${uploadId} is not an image (PNG, JPEG, WebP or GIF)`, { field: 'attachmentId', reason: 'NOT_AN_IMAGE' });
  return { sha256: thumbnail.sha256, contentType: thumbnail.contentType, byteSize: thumbnail.byteSize, width: thumbnail.width, height: thumbnail.height };
}

export interface AvatarFacts {
  /** The user's avatar now, with their stream's version; null when there is no such user. */
  readonly current: { readonly avatar: AvatarRow | null; readonly version: number } | null;
}

/**
 * Pure. Sets (`image`) or clears (null) the actor's avatar under a fresh
 * `avatarId`, erasing the one it replaces. null: nothing would change
 * (clearing when there is none).
 */
export function decideAvatarChange(image: AvatarImage | null, facts: AvatarFacts, actor: Actor, avatarId: string): AppendRequest | null {
  const userId = validate.uuid(actor.userId, 'userId');
  const { current } = facts;
  if (!current) throw new NotFoundError(`No user ${userId}`, { userId });
  if (image === null && current.avatar === null) return null;
  const replaced = current.avatar ? { erases: avatarContentKey(current.avatar.id) } : {};
  return {
    streamId: streamOf.user(userId),
    events: [newEvent(userAvatarChanged, { userId, avatarId, avatar: image, ...replaced })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: current.version,
  };
}

/**
 * `setAvatar`: the actor's own unposted image upload becomes their avatar.
 * The upload is claimed first (rows locked: a post racing for it cannot have
 * it too), released again if the append fails; once the change is in the
 * log the upload row goes, with the bytes nothing refers to any more (the
 * full-size image, the avatar replaced).
 */
export async function setAvatar(deps: CommandDeps, actor: Actor, input: { readonly attachmentId: string }): Promise<UserRow> {
  return counted(deps, 'set', async () => {
    await deps.rateLimits.consume('avatarChangesPerUser', actor.userId);
    const uploadId = validate.uuid(input.attachmentId, 'attachmentId');
    await assertMayWrite(deps, actor);
    const avatarId = deps.newId();
    const claimToken = avatarContentKey(avatarId);
    const { upload, image } = await deps.db.transaction(async (tx) => {
      const [row] = await uploadsByIds(tx, [uploadId], deps.db.forUpdate);
      const checked = avatarImageOf(row, uploadId, actor);
      // The row is locked: nothing can take it between the read and the update. Checked all the same.
      if ((await claimRows(tx, actor.userId, [uploadId], claimToken)) !== 1) throw new ValidationError('That upload was posted by another request at the same time', { field: 'attachmentId' });
      return { upload: row!, image: checked };
    });
    let replaced: AvatarRow | null;
    try {
      replaced = await decidedAgainOnConflict(async () => {
        const current = await avatarForChange(deps.db, actor.userId);
        const request = decideAvatarChange(image, { current }, actor, avatarId);
        if (request) await deps.store.append(request);
        return current?.avatar ?? null;
      }, isVersionConflict);
    } catch (error) {
      await releaseRows(deps.db, actor.userId, [uploadId], claimToken);
      throw error;
    }
    log.info({ userId: actor.userId, avatarId, uploadId, byteSize: image.byteSize }, 'avatar set');
    await removeLeftovers(deps, [uploadId], [...digestsOf(upload.data), ...(replaced ? [replaced.sha256] : [])]);
    return viewerRow(deps, actor);
  });
}

/** `clearAvatar`: back to initials. Nothing is appended when there is no avatar. Allowed while suspended (it only takes away). */
export async function clearAvatar(deps: CommandDeps, actor: Actor): Promise<UserRow> {
  let outcome: AvatarOutcome = 'cleared';
  return counted(
    deps,
    () => outcome,
    async () => {
      await deps.rateLimits.consume('avatarChangesPerUser', actor.userId);
      const replaced = await decidedAgainOnConflict(async () => {
        const current = await avatarForChange(deps.db, actor.userId);
        const request = decideAvatarChange(null, { current }, actor, deps.newId());
        if (request) await deps.store.append(request);
        return request ? (current?.avatar ?? null) : null;
      }, isVersionConflict);
      if (replaced) {
        log.info({ userId: actor.userId, avatarId: replaced.id }, 'avatar cleared');
        await removeLeftovers(deps, [], [replaced.sha256]);
      } else outcome = 'unchanged';
      return viewerRow(deps, actor);
    },
  );
}

async function viewerRow(deps: CommandDeps, actor: Actor): Promise<UserRow> {
  const [user] = await deps.readCache.usersByIds([actor.userId]);
  if (!user) throw new NotFoundError(`No user ${actor.userId}`, { userId: actor.userId });
  return user;
}

/**
 * After the change is committed: the used-up upload's row, and the bytes
 * nothing refers to now. Never fails the change; the sweep finishes the job.
 * (A bot's picture from its card replaces one the same way: bots/botPicture.ts.)
 */
export async function removeLeftovers(deps: CommandDeps, uploadIds: readonly string[], digests: readonly string[]): Promise<void> {
  try {
    await deleteUploads(deps.db, uploadIds);
    if (deps.attachments) await removeUnreferenced(deps.db, deps.attachments, digests);
  } catch (error) {
    logFailure(log, error, 'removing an avatar change\'s leftover files failed; the sweep will remove them', 'warn');
  }
}

/** Counts the command's outcome for /metrics (`thrds_avatar_changes_total{outcome}`). */
async function counted<T>(deps: CommandDeps, success: AvatarOutcome | (() => AvatarOutcome), run: () => Promise<T>): Promise<T> {
  const stats = deps.attachments?.stats.avatarChanges;
  try {
    const result = await run();
    if (stats) stats[typeof success === 'function' ? success() : success] += 1;
    return result;
  } catch (error) {
    if (stats) stats[error instanceof RateLimitedError ? 'rate_limited' : error instanceof ThrdsError ? 'refused' : 'failed'] += 1;
    throw error;
  }
}
