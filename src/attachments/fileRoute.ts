/**
 * GET and HEAD `/files/<attachmentId>` and `/files/<attachmentId>/thumbnail`:
 * the bytes of a posted attachment of a standing message, or of an upload
 * not yet posted (anyone holding its id: a random UUID, 122 bits, is not
 * guessed, and an `<img>` cannot send a bearer token). `/files/<avatarId>/avatar`:
 * a user's current avatar (User.avatarUrl; public, as users are). Anything
 * else, a deleted message's file or a replaced avatar included, is a plain 404.
 *
 * The answer can never run as a page of this origin: the stored type
 * (decided from the bytes at upload), `nosniff`, a CSP that allows nothing
 * and sandboxes, and `Content-Disposition: attachment` for everything that is
 * not one of the four image types. The ETag is the SHA-256 of the bytes.
 * `Cache-Control: private, no-cache`: a browser keeps the bytes and asks
 * again each time (a 304 costs one row read), so a deleted message's file is
 * gone at the next look, and no shared cache keeps what was erased.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Database } from '../db/database.ts';
import { log } from '../observability/log.ts';
import { attachmentById } from '../projections/attachmentsQueries.ts';
import { avatarById } from '../projections/usersQueries.ts';
import type { AttachmentData } from './attachmentTypes.ts';
import type { Attachments } from './attachments.ts';
import { byteRange } from './byteRange.ts';
import { isImageType } from './processUpload.ts';
import { uploadsByIds } from './uploadRows.ts';

const PATH = /^\/files\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\/thumbnail|\/avatar)?\/?$/;

export const FILES_CSP = "default-src 'none'; sandbox";

export function isFilesRequest(req: IncomingMessage): boolean {
  return (req.url ?? '').startsWith('/files/');
}

/** `/files/<id>` (and `/thumbnail`): the paths Attachment.url and thumbnailUrl give. */
export const filePath = (id: string): string => `/files/${id}`;
export const thumbnailPath = (id: string): string => `/files/${id}/thumbnail`;
/** User.avatarUrl: the avatar id changes with every change, so the URL does too. */
export const avatarPath = (avatarId: string): string => `/files/${avatarId}/avatar`;

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' }).end('Not found');
}

/** RFC 8187: `filename*=UTF-8''…`, every byte outside the unreserved set percent-encoded. */
export function dispositionOf(inline: boolean, name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encoded}`;
}

/** The file a path names: an attachment (or upload) and maybe its thumbnail, or an avatar; undefined: none. */
async function findFile(db: Database, id: string, variant: string | undefined): Promise<{ readonly id: string; readonly name: string; readonly file: StoredFile } | undefined> {
  if (variant === '/avatar') {
    const avatar = await avatarById(db, id);
    return avatar && { id, name: 'avatar.webp', file: avatar };
  }
  const found = await findAttachment(db, id);
  const file = variant === '/thumbnail' ? found?.thumbnail : found;
  if (!found || !file) return undefined;
  const name = found.name ?? 'file';
  return { id: found.id, name: variant === '/thumbnail' ? `${name}.webp` : name, file };
}

type StoredFile = Pick<AttachmentData, 'sha256' | 'contentType'>;

async function findAttachment(db: Database, id: string): Promise<AttachmentData | undefined> {
  const posted = await attachmentById(db, id);
  if (posted) return posted;
  const [upload] = await uploadsByIds(db, [id]);
  return upload?.data;
}

export async function serveFile(req: IncomingMessage, res: ServerResponse, db: Database, attachments: Attachments): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end('Method not allowed');
    return;
  }
  const match = PATH.exec((req.url ?? '').split('?', 1)[0]!.toLowerCase());
  if (!match) return notFound(res);
  const found = await findFile(db, match[1]!, match[2]);
  if (!found) return notFound(res);
  const { file, name } = found;
  const stat = await attachments.files.stat(file.sha256);
  if (!stat) {
    log.warn({ attachmentId: found.id, sha256: file.sha256 }, 'a stored file is missing (thrds verify lists every missing file)');
    return notFound(res);
  }
  const headers: Record<string, string | number> = {
    'content-type': file.contentType,
    'x-content-type-options': 'nosniff',
    'content-security-policy': FILES_CSP,
    'content-disposition': dispositionOf(isImageType(file.contentType), name),
    etag: `"${file.sha256}"`,
    'cache-control': 'private, no-cache',
    'accept-ranges': 'bytes',
    'referrer-policy': 'no-referrer',
  };
  const tags = (req.headers['if-none-match'] ?? '').split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (tags.includes(headers.etag as string) || tags.includes('*')) {
    const { 'content-type': _type, 'content-disposition': _disposition, ...rest } = headers;
    res.writeHead(304, rest).end();
    return;
  }
  const range = byteRange(req.headers.range, stat.byteSize);
  if (range.kind === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${stat.byteSize}`, 'content-type': 'text/plain; charset=utf-8', 'content-length': 0 }).end();
    return;
  }
  const part = range.kind === 'part' ? range.range : undefined;
  const length = part ? part.end - part.start + 1 : stat.byteSize;
  const status = part ? 206 : 200;
  if (part) headers['content-range'] = `bytes ${part.start}-${part.end}/${stat.byteSize}`;
  headers['content-length'] = length;
  if (req.method === 'HEAD' || length === 0) {
    res.writeHead(status, headers).end();
    return;
  }
  const stream = await attachments.files.open(file.sha256, part);
  if (!stream) return notFound(res);
  res.writeHead(status, headers);
  await pipeline(stream, res);
}

/** serveFile for the server's router: a client that goes away mid-file is no error; anything else is a bug, reported. */
export function handleFileRequest(req: IncomingMessage, res: ServerResponse, db: Database, attachments: Attachments, report: (error: unknown) => void): void {
  serveFile(req, res, db, attachments).catch((error: unknown) => {
    if (res.destroyed && req.destroyed) return;
    report(error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end('Unexpected error');
    else res.destroy();
  });
}
