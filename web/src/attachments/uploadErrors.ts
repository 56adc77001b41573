/** Why an upload failed, in plain words, from the server's code (and what it says about its limits). */
import { formatBytes } from './attachment.ts';
import { UPLOAD_STALL_MS } from './uploadFile.ts';

export interface UploadFailure {
  /** The GraphQL error code, or NETWORK (no answer), STALLED (given up: nothing moved), or HTTP for an answer that was not GraphQL. */
  readonly code: string;
  readonly message: string | null;
  readonly status: number;
  readonly extensions: Readonly<Record<string, unknown>>;
}

export function uploadErrorText(failure: UploadFailure): string {
  switch (failure.code) {
    case 'PAYLOAD_TOO_LARGE': {
      const max = failure.extensions['maxBytes'];
      return typeof max === 'number' ? `Too large: files can be at most ${formatBytes(max)}.` : 'Too large for this server.';
    }
    case 'RATE_LIMITED':
      return 'Upload limit reached: you have uploaded as much as this server allows for now. Try again later.';
    case 'BAD_USER_INPUT':
      return failure.message ? `Not allowed: ${failure.message}` : 'This file cannot be uploaded.';
    case 'UNAUTHENTICATED':
      return 'Sign in again to upload files.';
    case 'FORBIDDEN':
      return 'You may not upload files here.';
    case 'UNAVAILABLE':
      return 'The server is busy: try again in a moment.';
    case 'NETWORK':
      return 'Could not reach the server: check the connection and try again.';
    case 'STALLED':
      return `The upload stopped: nothing moved for ${Math.round(UPLOAD_STALL_MS / 1000)} seconds. Check the connection and try again.`;
    default:
      return failure.status === 413 ? 'Too large for this server.' : 'The upload failed on the server.';
  }
}
