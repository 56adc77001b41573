/**
 * Multipart requests (the GraphQL multipart request spec) exist for one
 * thing: `uploadAttachment`. They may be ten times larger than any other
 * request (THRDS_MAX_UPLOAD_BYTES), so the server reads them apart
 * (readUploadBody), with a cap that holds for a chunked body too, and yoga
 * parses them with limits of its own (one file, small fields). Then this
 * plugin refuses any operation in them but `uploadAttachment`: a big body
 * cannot carry a query the JSON path would have refused for its size.
 * The CSRF plugin (http/csrfPrevention.ts) already asks every multipart
 * request for the x-graphql-yoga-csrf header, which no HTML form can send.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFetch } from '@whatwg-node/fetch';
import { Kind, parse } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { answerError } from '../http/errorAnswer.ts';
import { MULTIPART_OVERHEAD_BYTES, type UploadSettings } from './uploadSettings.ts';

export function isMultipart(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

/** The most a multipart body may hold: the file and its framing. */
export const multipartLimit = (settings: UploadSettings): number => settings.maxUploadBytes + MULTIPART_OVERHEAD_BYTES;

/** yoga's Fetch API with busboy's limits: one file, the JSON fields small. The body was capped before (readUploadBody). */
export function uploadFetchApi(settings: UploadSettings) {
  return createFetch({ formDataLimits: { files: 1, fileSize: multipartLimit(settings), fields: 8, fieldSize: 64 * 1024, parts: 16 } });
}

function refuse(res: ServerResponse, limit: number): void {
  answerError(res, 413, { message: `Uploads are limited to ${limit} bytes with their form fields`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }, { connection: 'close' });
}

/**
 * Reads a multipart body of at most `limit` bytes, by Content-Length and
 * by count (a chunked body has none). Over it: 413 PAYLOAD_TOO_LARGE once
 * the client has sent all of its body (read and dropped, up to as much
 * again), so it can read the answer: a client still sending when the
 * server answers and closes gets a broken pipe instead (Node 24's fetch
 * does). Past twice the limit the answer goes at once and the connection
 * is cut. Nothing is kept.
 */
export function readUploadBody(req: IncomingMessage, res: ServerResponse, limit: number, done: (body: Buffer) => void): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > 2 * limit) {
    refuse(res, limit);
    req.destroy();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // A client that goes away mid-upload: nothing to answer, nothing kept.
  req.on('error', () => res.destroy());
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) {
      chunks.push(chunk);
      return;
    }
    // Over the limit: nothing more is kept, and the answer waits for the rest of the body.
    chunks.length = 0;
    req.off('data', onData).off('end', onEnd);
    dropThenAnswer(req, res, limit, () => refuse(res, limit), size);
  };
  const onEnd = () => done(Buffer.concat(chunks, size));
  req.on('data', onData).on('end', onEnd);
}

/**
 * A refused body: the rest of it is read and dropped, then `answer` goes,
 * so the client (done sending) reads it instead of a broken pipe. Past
 * twice `limit` (counting the `received` bytes already read) the answer
 * goes at once and the connection is cut.
 */
function dropThenAnswer(req: IncomingMessage, res: ServerResponse, limit: number, answer: () => void, received = 0): void {
  let size = received;
  const answerOnce = () => {
    if (!res.headersSent) answer();
  };
  const cutPastTwiceLimit = () => {
    if (size <= 2 * limit) return;
    answerOnce();
    req.destroy();
  };
  cutPastTwiceLimit();
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    cutPastTwiceLimit();
  });
  req.on('end', answerOnce);
}

/**
 * How many upload bodies this process takes at once. A slot is held from
 * the first byte to the answer (or the connection's end), so what uploads
 * keep in memory is bounded by `max` times the largest one, however many
 * clients send them; the next is refused UNAVAILABLE (503, Retry-After)
 * before its body is read. `stats.uploadsInProgress` is how many are held
 * (a gauge on /metrics).
 */
export function uploadSlots(max: number, stats: { uploadsInProgress: number }): { take(res: ServerResponse): boolean } {
  return {
    take(res) {
      if (stats.uploadsInProgress >= max) return false;
      stats.uploadsInProgress += 1;
      res.once('close', () => (stats.uploadsInProgress -= 1));
      return true;
    },
  };
}

/** The refusal when every slot is taken: UNAVAILABLE, retryable, once the body is dropped as for one too large. */
export function refuseBusy(req: IncomingMessage, res: ServerResponse, max: number, limit: number): void {
  const message = `The server is taking ${max} uploads already; try again shortly`;
  req.on('error', () => res.destroy());
  dropThenAnswer(req, res, limit, () =>
    answerError(res, 503, { message, extensions: { code: 'UNAVAILABLE', retryable: true, retryAfter: 1 } }, { 'retry-after': '1', connection: 'close' }),
  );
}

/** Only `uploadAttachment` (and `__typename`) in a multipart request: anything else is BAD_USER_INPUT (400). */
export function useUploadsOnlyInMultipart(): Plugin {
  return {
    onRequestParse({ request }) {
      if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) return;
      return {
        onRequestParseDone({ requestParserResult }) {
          const all = Array.isArray(requestParserResult) ? requestParserResult : [requestParserResult];
          if (all.length !== 1 || !onlyUploads(all[0]?.query)) {
            throw createGraphQLError('A multipart request may only run the uploadAttachment mutation', { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
          }
        },
      };
    },
  };
}

function onlyUploads(query: string | undefined): boolean {
  if (typeof query !== 'string') return false;
  let document;
  try {
    document = parse(query, { noLocation: true, maxTokens: 200 });
  } catch {
    // Not a document we would run here: refused below all the same.
    return false;
  }
  return document.definitions.every(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      definition.operation === 'mutation' &&
      definition.selectionSet.selections.every((s) => s.kind === Kind.FIELD && (s.name.value === 'uploadAttachment' || s.name.value === '__typename')),
  );
}
