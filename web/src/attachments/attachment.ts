/**
 * A file attached to a message, as the web app uses it: checked once at the
 * boundary (like api/decode.ts), with the few rules the views share (is it
 * shown as an image, how big it is in words, the box its thumbnail takes).
 */

export interface Attachment {
  readonly id: string;
  /** Decided by the server from the bytes. */
  readonly contentType: string;
  readonly byteSize: number;
  readonly name: string | null;
  readonly alt: string | null;
  /** Images only. */
  readonly width: number | null;
  readonly height: number | null;
  /** A path on this server (or an absolute URL). */
  readonly url: string;
  readonly thumbnailUrl: string | null;
}

type Maybe<T> = T | null | undefined;

export interface RawAttachment {
  readonly id?: Maybe<string>;
  readonly contentType?: Maybe<string>;
  readonly byteSize?: Maybe<number>;
  readonly name?: Maybe<string>;
  readonly alt?: Maybe<string>;
  readonly width?: Maybe<number>;
  readonly height?: Maybe<number>;
  readonly url?: Maybe<string>;
  readonly thumbnailUrl?: Maybe<string>;
}

export function decodeAttachment(raw: Maybe<RawAttachment>): Attachment | null {
  if (!raw) return null;
  const { id, contentType, byteSize, url } = raw;
  if (id == null || contentType == null || byteSize == null || url == null) {
    console.warn('Thrds: ignoring an attachment with missing fields', raw);
    return null;
  }
  return {
    id,
    contentType,
    byteSize,
    url,
    name: raw.name ?? null,
    alt: raw.alt ?? null,
    width: raw.width ?? null,
    height: raw.height ?? null,
    thumbnailUrl: raw.thumbnailUrl ?? null,
  };
}

export function decodeAttachments(raw: Maybe<readonly Maybe<RawAttachment>[]>): readonly Attachment[] {
  return (raw ?? []).flatMap((a) => decodeAttachment(a) ?? []);
}

/** Shown inline (the server decoded it as an image and knows its size); anything else is a download. */
export function isInlineImage(a: Attachment): boolean {
  return a.contentType.startsWith('image/') && a.width !== null && a.height !== null && a.width > 0 && a.height > 0;
}

/** "812 bytes", "4.2 KB", "3.1 MB": decimal units, as file managers show them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB'] as const;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** The box an image is shown in: it fits inside max×max, never upscaled, so the space is kept before it loads. */
export function fitInside(width: number, height: number, maxWidth: number, maxHeight: number): { readonly width: number; readonly height: number } {
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** What a screen reader says for an image: its alt text, else its file name, else that it is an image. */
export function imageLabel(a: Pick<Attachment, 'alt' | 'name'>): string {
  return a.alt?.trim() || (a.name ? `Image: ${a.name}` : 'Image');
}
