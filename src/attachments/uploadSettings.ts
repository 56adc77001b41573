/** The upload limits and where files live, from the environment (README, "Images and files"). */
import { DEFAULT_FILES_DIR } from './folderFileStore.ts';

export interface UploadSettings {
  /** THRDS_FILES_DIR: the content-addressed folder of the default file store. */
  readonly filesDir: string;
  /** THRDS_MAX_UPLOAD_BYTES: the largest file one upload may carry (default 10 MiB). */
  readonly maxUploadBytes: number;
  /**
   * THRDS_MAX_CONCURRENT_UPLOADS: upload bodies taken at once by this process (default 8); the next
   * is refused UNAVAILABLE (503, Retry-After) before a byte is read. Bounds what uploads may hold in
   * memory to about this many times the largest upload, whoever sends them.
   */
  readonly maxConcurrentUploads?: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_CONCURRENT_UPLOADS = 8;

/**
 * Room for the multipart framing and the `operations` and `map` fields
 * around the file: a request body may be this much larger than the file.
 */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export function uploadSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): UploadSettings {
  const text = env.THRDS_MAX_UPLOAD_BYTES;
  const maxUploadBytes = text === undefined || text === '' ? DEFAULT_MAX_UPLOAD_BYTES : Number(text);
  if (!Number.isSafeInteger(maxUploadBytes) || maxUploadBytes < 1) throw new Error(`THRDS_MAX_UPLOAD_BYTES must be a positive whole number of bytes (got ${text})`);
  const concurrent = env.THRDS_MAX_CONCURRENT_UPLOADS;
  const maxConcurrentUploads = concurrent === undefined || concurrent === '' ? DEFAULT_MAX_CONCURRENT_UPLOADS : Number(concurrent);
  if (!Number.isSafeInteger(maxConcurrentUploads) || maxConcurrentUploads < 1) throw new Error(`THRDS_MAX_CONCURRENT_UPLOADS must be a positive whole number (got ${concurrent})`);
  return { filesDir: env.THRDS_FILES_DIR || DEFAULT_FILES_DIR, maxUploadBytes, maxConcurrentUploads };
}
