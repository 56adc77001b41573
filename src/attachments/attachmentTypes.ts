/**
 * Attachments: what the log, the read model, the file store and the CLI
 * agree on. The bytes live in a FileStore (content-addressed by SHA-256);
 * the log holds only this metadata, inside MessagePosted's erasable
 * content, so deleting the message erases names and digests with its text.
 */
import type { Readable } from 'node:stream';

/** A derived image: the thumbnail of an image attachment. */
export interface StoredImage {
  readonly sha256: string;
  readonly contentType: string;
  readonly byteSize: number;
  readonly width: number;
  readonly height: number;
}

/** One attachment as MessagePosted records it (data.attachments, in posting order). */
export interface AttachmentData {
  readonly id: string;
  /** SHA-256 (hex) of the stored bytes: the stripped, re-encoded image, or the file as uploaded. */
  readonly sha256: string;
  /** Decided from the bytes: image/png, image/jpeg, image/webp, image/gif, or any other type file-type names (else application/octet-stream). */
  readonly contentType: string;
  readonly byteSize: number;
  /** The uploaded file's name, cleaned (no path, no control characters); null when none was given. */
  readonly name: string | null;
  readonly alt: string | null;
  /** Images only; null for other files. */
  readonly width: number | null;
  readonly height: number | null;
  readonly thumbnail: StoredImage | null;
}

/** The stored files an attachment stands on: its bytes, and its thumbnail's. */
export function digestsOf(attachment: Pick<AttachmentData, 'sha256' | 'thumbnail'>): string[] {
  return attachment.thumbnail ? [attachment.sha256, attachment.thumbnail.sha256] : [attachment.sha256];
}

/** A byte range of a stored file, both ends inclusive (HTTP Range semantics). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Where the bytes live. The default: a content-addressed folder (./data/files, THRDS_FILES_DIR). */
export interface FileStore {
  /** Stores the bytes (idempotent: the same bytes are stored once) and returns their digest. */
  put(bytes: Uint8Array): Promise<{ readonly sha256: string; readonly byteSize: number }>;
  /** The size of a stored file; undefined when there is none. */
  stat(sha256: string): Promise<{ readonly byteSize: number; readonly modifiedAt: number } | undefined>;
  /** The bytes (or a range of them); undefined when there is no such file. */
  open(sha256: string, range?: ByteRange): Promise<Readable | undefined>;
  /** Removes the file; removing a missing one is not an error. */
  remove(sha256: string): Promise<void>;
  /** Every stored file (for verify, export and the sweep of unreferenced files). */
  list(): AsyncIterable<{ readonly sha256: string; readonly byteSize: number; readonly modifiedAt: number }>;
}
