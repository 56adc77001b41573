/** The upload limits and where files live, from the environment (README, "Images and files"). */
import { DEFAULT_FILES_DIR } from './folderFileStore.ts';

export interface UploadSettings {
  /** THRDS_FILES_DIR: the content-addressed folder of the default file store. */
  readonly filesDir: string;
  /** THRDS_MAX_UPLOAD_BYTES: the largest file one upload may carry (default 10 MiB). */
  readonly maxUploadBytes: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Room for the multipart framing and the `operations` and `map` fields
 * around the file: a request body may be this much larger than the file.
 */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export function uploadSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): UploadSettings {
  const text = env.THRDS_MAX_UPLOAD_BYTES;
  const maxUploadBytes = text === undefined || text === '' ? DEFAULT_MAX_UPLOAD_BYTES : Number(text);
  if (!Number.isSafeInteger(maxUploadBytes) || maxUploadBytes < 1) throw new Error(`THRDS_MAX_UPLOAD_BYTES must be a positive whole number of bytes (got ${text})`);
  return { filesDir: env.THRDS_FILES_DIR || DEFAULT_FILES_DIR, maxUploadBytes };
}
