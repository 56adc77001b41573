/**
 * uploadAttachment: a signed-in user's file becomes an upload, waiting to be
 * posted. Checked in order of cost: the count and size limits before the
 * bytes are looked at, the daily byte quota before any image is decoded,
 * the file store and the uploads row last, so a refusal stores nothing.
 */
import { RateLimitedError, ThrdsError } from '../errors.ts';
import type { Actor, CommandDeps } from '../modules/commandDeps.ts';
import type { AttachmentData } from './attachmentTypes.ts';
import type { Attachments, UploadOutcome } from './attachments.ts';
import { altText, cleanFileName } from './attachmentText.ts';
import { PayloadTooLargeError } from './payloadTooLarge.ts';
import { processUpload } from './processUpload.ts';
import { insertUpload } from './uploadRows.ts';

/** The file as the multipart request carried it: its bytes, and the name and type the client claimed. */
export interface UploadedFile {
  readonly size: number;
  readonly name: string;
  readonly type: string;
  bytes(): Promise<Uint8Array>;
}

export interface UploadDeps extends CommandDeps {
  readonly attachments: Attachments;
}

export async function uploadAttachment(deps: UploadDeps, actor: Actor, file: UploadedFile, alt: string | null | undefined): Promise<AttachmentData> {
  const { stats, settings, files, images } = deps.attachments;
  try {
    await deps.rateLimits.consume('uploadsPerUser', actor.userId);
    if (file.size > settings.maxUploadBytes) throw new PayloadTooLargeError(settings.maxUploadBytes);
    const cleanAlt = altText(alt);
    const name = cleanFileName(file.name);
    // The day's quota counts what was sent, before any work is done on it.
    await deps.rateLimits.consume('uploadBytesPerUser', actor.userId, Math.max(1, file.size));
    const processed = await processUpload(await file.bytes(), { name, type: file.type }, images);
    const stored = await files.put(processed.bytes);
    const thumbnail = processed.thumbnail ? { ...processed.thumbnail, ...(await files.put(processed.thumbnail.bytes)) } : null;
    const data: AttachmentData = {
      id: deps.newId(),
      sha256: stored.sha256,
      contentType: processed.contentType,
      byteSize: stored.byteSize,
      name,
      alt: cleanAlt,
      width: processed.width,
      height: processed.height,
      thumbnail: thumbnail && { sha256: thumbnail.sha256, contentType: thumbnail.contentType, byteSize: thumbnail.byteSize, width: thumbnail.width, height: thumbnail.height },
    };
    // A crash between the puts and this row leaves files nobody refers to: the sweep removes them after an hour.
    await insertUpload(deps.db, actor.userId, deps.clock(), data);
    stats.uploads.stored += 1;
    stats.uploadBytes += stored.byteSize + (thumbnail?.byteSize ?? 0);
    return data;
  } catch (error) {
    stats.uploads[outcomeOf(error)] += 1;
    throw error;
  }
}

function outcomeOf(error: unknown): Exclude<UploadOutcome, 'stored'> {
  if (error instanceof PayloadTooLargeError) return 'too_large';
  if (error instanceof RateLimitedError) return 'rate_limited';
  // Bad input or an outage is the request's; anything else is a bug or a failing disk.
  return error instanceof ThrdsError ? 'refused' : 'failed';
}
