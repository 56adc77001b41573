/**
 * What the attachment code needs at run time, built once per server: the
 * file store, the upload limits, the image queue, and the counts /metrics
 * reads (attachmentMetrics.ts).
 */
import type { FileStore } from './attachmentTypes.ts';
import { openFolderFileStore } from './folderFileStore.ts';
import { createImageQueue, type ImageQueue } from './imageQueue.ts';
import { type UploadSettings, uploadSettingsFromEnv } from './uploadSettings.ts';

export type UploadOutcome = 'stored' | 'too_large' | 'rate_limited' | 'refused' | 'failed' | 'busy';

/** What setAvatar and clearAvatar did (unchanged: a clear with no avatar to clear). */
export type AvatarOutcome = 'set' | 'cleared' | 'unchanged' | 'rate_limited' | 'refused' | 'failed';

export interface AttachmentStats {
  readonly uploads: Record<UploadOutcome, number>;
  /** Bytes stored by uploads (the cleaned image and its thumbnail, or the file). */
  uploadBytes: number;
  /** Files taken out of the store: by erasure after a deletion, or by the sweep. */
  filesRemoved: number;
  /** Upload bodies being received now, each holding one of THRDS_MAX_CONCURRENT_UPLOADS slots (multipartUploads.ts). */
  uploadsInProgress: number;
  /** setAvatar and clearAvatar by outcome (modules/userAvatarChanged.ts). */
  readonly avatarChanges: Record<AvatarOutcome, number>;
}

export interface Attachments {
  readonly files: FileStore;
  readonly settings: UploadSettings;
  readonly images: ImageQueue;
  readonly stats: AttachmentStats;
}

export function createAttachments(settings: UploadSettings = uploadSettingsFromEnv(), files: FileStore = openFolderFileStore(settings.filesDir)): Attachments {
  return {
    files,
    settings,
    images: createImageQueue(),
    stats: { uploads: { stored: 0, too_large: 0, rate_limited: 0, refused: 0, failed: 0, busy: 0 }, uploadBytes: 0, filesRemoved: 0, uploadsInProgress: 0, avatarChanges: { set: 0, cleared: 0, unchanged: 0, rate_limited: 0, refused: 0, failed: 0 } },
  };
}
