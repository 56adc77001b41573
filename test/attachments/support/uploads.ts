/** Uploads over real HTTP (the GraphQL multipart request spec) and images made in the test with sharp. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ServerConfig } from '../../../src/config.ts';
import type { StoreKind } from '../../support/databases.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

export const UPLOAD = `mutation ($file: File!, $alt: String) {
  uploadAttachment(file: $file, alt: $alt) { id contentType byteSize name alt width height url thumbnailUrl }
}`;

export interface AttachmentResult {
  id: string;
  contentType: string;
  byteSize: number;
  name: string | null;
  alt: string | null;
  width: number | null;
  height: number | null;
  url: string;
  thumbnailUrl: string | null;
}

export interface UploadReply {
  readonly status: number;
  readonly body: { data?: { uploadAttachment: AttachmentResult } | null; errors?: Array<{ message: string; extensions?: { code?: string } }> } | null;
}

/** A server whose files go to a fresh folder, with a small upload limit so "too large" is cheap to send. */
export async function startFilesServer(kind: StoreKind, overrides: Partial<ServerConfig> = {}): Promise<{ server: TestServer; filesDir: string }> {
  const filesDir = mkdtempSync(join(tmpdir(), 'thrds-files-'));
  const server = await startTestServer(kind, undefined, { uploads: { filesDir, maxUploadBytes: 256 * 1024 }, ...overrides });
  return { server, filesDir };
}

export function multipartForm(query: string, variables: Record<string, unknown>, file: { bytes: Uint8Array; name: string; type: string } | undefined): FormData {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables: { ...variables, ...(file ? { file: null } : {}) } }));
  form.set('map', JSON.stringify(file ? { 0: ['variables.file'] } : {}));
  if (file) form.set('0', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return form;
}

export async function upload(
  server: TestServer,
  token: string | undefined,
  file: { bytes: Uint8Array; name: string; type: string },
  options: { alt?: string; csrf?: boolean; query?: string } = {},
): Promise<UploadReply> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.csrf !== false) headers['x-graphql-yoga-csrf'] = '1';
  const response = await fetch(server.url, { method: 'POST', headers, body: multipartForm(options.query ?? UPLOAD, { alt: options.alt ?? null }, file) });
  const text = await response.text();
  let body: UploadReply['body'] = null;
  try {
    body = JSON.parse(text) as UploadReply['body'];
  } catch {
    body = null;
  }
  return { status: response.status, body };
}

export async function uploaded(server: TestServer, token: string, file: { bytes: Uint8Array; name: string; type: string }, alt?: string): Promise<AttachmentResult> {
  const reply = await upload(server, token, file, alt === undefined ? {} : { alt });
  if (!reply.body?.data?.uploadAttachment) throw new Error(`upload failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.data.uploadAttachment;
}

export const fileUrl = (server: TestServer, path: string): string => server.url.replace('/graphql', path);

/** EXIF with a camera, a copyright and a GPS position: what must never reach anyone else. */
const EXIF = {
  IFD0: { Make: 'LeakCam', Model: 'Spy 3000', Copyright: 'Secret Owner' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 3230/100', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 4366/100' },
};

export async function pngWithExif(width = 64, height = 32): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().withExif(EXIF).toBuffer());
}

/** A JPEG stored sideways with EXIF orientation 6 (turn 90° clockwise to show), GPS and all. */
export async function jpegWithExif(width = 60, height = 40): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp({ create: { width, height, channels: 3, background: { r: 20, g: 120, b: 200 } } })
      .jpeg()
      .withExif(EXIF)
      .withMetadata({ orientation: 6 })
      .toBuffer(),
  );
}

export async function plainPng(width = 16, height = 16): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width, height, channels: 4, background: { r: 0, g: 200, b: 0, alpha: 1 } } }).png().toBuffer());
}
