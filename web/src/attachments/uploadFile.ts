/**
 * One file to the server with the GraphQL multipart request spec
 * (`operations`, `map`, then the file), over XMLHttpRequest because fetch
 * cannot report upload progress. The CSRF rule refuses multipart bodies
 * without a header a cross-site form cannot set, so the request carries one.
 * An upload that neither sends a byte nor hears one for UPLOAD_STALL_MS is
 * given up as STALLED (a connection that died without the browser noticing
 * would otherwise leave it "uploading" for good), and can be tried again.
 */
import { decodeAttachment, type Attachment, type RawAttachment } from './attachment.ts';
import type { UploadFailure } from './uploadErrors.ts';

export const uploadMutation = `mutation UploadAttachment($file: File!, $alt: String) {
  uploadAttachment(file: $file, alt: $alt) { id contentType byteSize name alt width height url thumbnailUrl }
}`;

/** How long an upload may go without moving a byte either way (the server answers well within it: its work has deadlines of seconds). */
export const UPLOAD_STALL_MS = 45_000;

export type UploadResult = { readonly ok: true; readonly attachment: Attachment } | { readonly ok: false; readonly failure: UploadFailure };

export interface Upload {
  readonly result: Promise<UploadResult>;
  abort(): void;
}

export interface UploadOptions {
  readonly file: Blob;
  readonly name: string;
  readonly alt: string | null;
  readonly token: string | null;
  readonly onProgress: (fraction: number) => void;
  readonly url?: string;
  /** UPLOAD_STALL_MS unless given. */
  readonly stallMs?: number;
}

export function uploadFile({ file, name, alt, token, onProgress, url = '/graphql', stallMs = UPLOAD_STALL_MS }: UploadOptions): Upload {
  const xhr = new XMLHttpRequest();
  let stalled = false;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const moving = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      stalled = true;
      xhr.abort();
    }, stallMs);
  };
  const body = new FormData();
  body.append('operations', JSON.stringify({ query: uploadMutation, operationName: 'UploadAttachment', variables: { file: null, alt } }));
  body.append('map', JSON.stringify({ 0: ['variables.file'] }));
  body.append('0', file, name);

  const result = new Promise<UploadResult>((resolve) => {
    const fail = (code: string, message: string | null, extensions: Readonly<Record<string, unknown>> = {}) =>
      resolve({ ok: false, failure: { code, message, status: xhr.status, extensions } });
    xhr.upload.addEventListener('progress', (e) => {
      moving();
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('progress', moving);
    xhr.addEventListener('loadend', () => clearTimeout(watchdog));
    xhr.addEventListener('load', () => {
      const answer = parse(xhr.responseText);
      const error = answer?.errors?.[0];
      if (error) return fail(typeof error.extensions?.['code'] === 'string' ? error.extensions['code'] : 'UNKNOWN', error.message ?? null, error.extensions ?? {});
      const attachment = decodeAttachment(answer?.data?.uploadAttachment);
      if (attachment) return resolve({ ok: true, attachment });
      fail(xhr.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'HTTP', null);
    });
    // A server that refuses a large body by its length may close the connection before reading it: no answer at all.
    xhr.addEventListener('error', () => fail('NETWORK', null));
    xhr.addEventListener('abort', () => fail(stalled ? 'STALLED' : 'ABORTED', null));
    xhr.addEventListener('timeout', () => fail('NETWORK', null));
  });

  xhr.open('POST', url);
  xhr.setRequestHeader('x-graphql-yoga-csrf', 'upload');
  if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
  xhr.send(body);
  moving();
  return { result, abort: () => xhr.abort() };
}

interface UploadAnswer {
  readonly data?: { readonly uploadAttachment?: RawAttachment | null } | null;
  readonly errors?: readonly { readonly message?: string; readonly extensions?: Record<string, unknown> }[];
}

function parse(text: string): UploadAnswer | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as UploadAnswer) : null;
  } catch {
    return null;
  }
}
