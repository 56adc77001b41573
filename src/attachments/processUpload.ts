/**
 * What an uploaded file becomes, decided from its bytes alone (file-type),
 * never from its name or the type the client sent:
 *
 * - PNG, JPEG, WebP, GIF: decoded by sharp (at most MAX_INPUT_PIXELS, so a
 *   decompression bomb is refused from its header), turned upright by its
 *   EXIF orientation, and encoded again in the same format without any
 *   metadata (EXIF, GPS, XMP, ICC, comments: sharp writes none unless told
 *   to). Animated GIF and WebP keep their animation (every frame is
 *   re-encoded); their thumbnail is the first frame. Thumbnail: WebP inside
 *   480×480, never enlarged.
 * - Anything else: stored as uploaded, typed as file-type names it (else
 *   application/octet-stream), and only ever offered as a download.
 *
 * A file whose bytes say it is one of those images, or whose name or
 * claimed type says so, but which does not decode is refused: the user
 * meant to share a picture and would otherwise get a useless download.
 */
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { ValidationError } from '../errors.ts';
import type { ImageQueue } from './imageQueue.ts';

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** 50 megapixels: any photo a phone takes; a 1 KB PNG that claims 20,000 × 20,000 is refused before it is decoded. */
export const MAX_INPUT_PIXELS = 50_000_000;
/** How long one image may take to decode and encode, in seconds (sharp's own deadline). */
export const IMAGE_SECONDS = 20;
export const THUMBNAIL_BOX = 480;

export interface ProcessedImage {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface ProcessedUpload {
  readonly contentType: string;
  /** What is stored: the clean image, or the file as uploaded. */
  readonly bytes: Uint8Array;
  readonly width: number | null;
  readonly height: number | null;
  readonly thumbnail: (ProcessedImage & { readonly contentType: string }) | null;
}

export function isImageType(type: string): type is ImageType {
  return (IMAGE_TYPES as readonly string[]).includes(type);
}

const IMAGE_NAME = /\.(png|jpe?g|webp|gif)$/i;

export async function processUpload(bytes: Uint8Array, claimed: { readonly name: string | null; readonly type: string }, queue: ImageQueue): Promise<ProcessedUpload> {
  const detected = (await fileTypeFromBuffer(bytes))?.mime ?? 'application/octet-stream';
  const claimsImage = isImageType(claimed.type.toLowerCase()) || IMAGE_NAME.test(claimed.name ?? '');
  if (!isImageType(detected)) {
    if (claimsImage) throw new ValidationError('The file is named or typed as an image, but its bytes are not a PNG, JPEG, WebP or GIF image', { field: 'file' });
    return { contentType: detected, bytes, width: null, height: null, thumbnail: null };
  }
  try {
    return await queue.run(() => cleanImage(bytes, detected));
  } catch (error) {
    if (!isSharpError(error)) throw error;
    const reason = /pixel limit/i.test(error.message) ? `it is larger than ${MAX_INPUT_PIXELS.toLocaleString('en-US')} pixels` : 'it does not decode';
    throw new ValidationError(`The file looks like ${detected} but cannot be used: ${reason}`, { field: 'file' });
  }
}

/** sharp's refusals (a corrupt file, a bomb, its timeout) are plain Errors from libvips; ours and the queue's are not plain. */
function isSharpError(error: unknown): error is Error {
  return error instanceof Error && error.constructor === Error;
}

async function cleanImage(bytes: Uint8Array, type: ImageType): Promise<ProcessedUpload> {
  const animated = type === 'image/gif' || type === 'image/webp';
  const input = () => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, animated, failOn: 'error' }).timeout({ seconds: IMAGE_SECONDS });
  const meta = await input().metadata();
  const pages = meta.pages ?? 1;
  // Orientation is EXIF (JPEG, sometimes WebP and PNG); an animation is left as it is.
  let image = pages > 1 ? input() : input().rotate();
  image = type === 'image/png' ? image.png() : type === 'image/jpeg' ? image.jpeg({ quality: 90, mozjpeg: true }) : type === 'image/webp' ? image.webp({ quality: 90 }) : image.gif();
  const { data, info } = await image.toBuffer({ resolveWithObject: true });
  const height = info.pageHeight ?? info.height;
  const thumb = await sharp(data, { limitInputPixels: MAX_INPUT_PIXELS, animated: false })
    .timeout({ seconds: IMAGE_SECONDS })
    .resize(THUMBNAIL_BOX, THUMBNAIL_BOX, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer({ resolveWithObject: true });
  return {
    contentType: type,
    bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height,
    thumbnail: { contentType: 'image/webp', bytes: new Uint8Array(thumb.data.buffer, thumb.data.byteOffset, thumb.data.byteLength), width: thumb.info.width, height: thumb.info.height },
  };
}
