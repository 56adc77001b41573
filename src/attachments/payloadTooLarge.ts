/** PAYLOAD_TOO_LARGE: an upload over THRDS_MAX_UPLOAD_BYTES. Nothing was stored. */
import { ThrdsError } from '../errors.ts';

export class PayloadTooLargeError extends ThrdsError {
  constructor(maxBytes: number) {
    super('PAYLOAD_TOO_LARGE', `Files are limited to ${maxBytes} bytes`, { maxBytes });
  }
}
