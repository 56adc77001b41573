/**
 * Attachments as GraphQL: the File scalar (the GraphQL multipart request
 * spec), `uploadAttachment`, the Attachment type and `Message.attachments`.
 * `postMessage(input.attachmentIds)` posts uploads (src/modules/messagePosted.ts).
 */
import { GraphQLError } from 'graphql';
import type { ScalarRef } from '@pothos/core';
import { MAX_ATTACHMENTS } from '../attachments/claimUploads.ts';
import type { AttachmentData } from '../attachments/attachmentTypes.ts';
import { MAX_ALT, MAX_NAME } from '../attachments/attachmentText.ts';
import { filePath, thumbnailPath } from '../attachments/fileRoute.ts';
import { MAX_INPUT_PIXELS, THUMBNAIL_BOX } from '../attachments/processUpload.ts';
import { uploadAttachment, type UploadedFile } from '../attachments/uploadAttachment.ts';
import { attachmentsByMessageIds } from '../projections/attachmentsQueries.ts';
import { builder } from './builder.ts';
import { createLoader, perContext } from './loader.ts';
import { Message } from './refs.ts';
import { requireActor } from './viewer.ts';

export const MULTIPART_SPEC = 'https://github.com/jaydenseric/graphql-multipart-request-spec';

/** A file part of a multipart request as yoga hands it over (a Fetch API File, of whichever implementation). */
function isFile(value: unknown): value is UploadedFile & { arrayBuffer(): Promise<ArrayBuffer> } {
  if (value === null || typeof value !== 'object') return false;
  const file = value as Record<string, unknown>;
  return typeof file.arrayBuffer === 'function' && typeof file.size === 'number';
}

function asUploadedFile(value: unknown): UploadedFile {
  if (!isFile(value)) throw new GraphQLError('File must be a file part of a multipart request (the GraphQL multipart request spec)', { extensions: { code: 'BAD_USER_INPUT' } });
  const file = value;
  return {
    size: file.size,
    name: typeof file.name === 'string' ? file.name : '',
    type: typeof file.type === 'string' ? file.type : '',
    bytes: async () => new Uint8Array(await file.arrayBuffer()),
  };
}

// File is input only and not in PothosTypes' Scalars (schema/builder.ts): the ref carries its shape instead.
type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;
const scalarType = builder.scalarType.bind(builder) as unknown as (name: string, options: object) => ScalarRef<BuilderTypes, never, UploadedFile>;
const FileScalar = scalarType('File', {
  description: `A file sent in a multipart request (${MULTIPART_SPEC}). Input only.`,
  specifiedByURL: MULTIPART_SPEC,
  serialize: () => {
    throw new GraphQLError('File is an input type only');
  },
  parseValue: asUploadedFile,
  parseLiteral: () => {
    throw new GraphQLError('A File cannot be written in a document: send it as a part of a multipart request', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

/** An attachment as GraphQL shows it: posted (read model, or the event) or just uploaded. */
export const Attachment = builder.objectRef<AttachmentData>('Attachment').implement({
  description: 'An image or file: uploaded with uploadAttachment, posted with postMessage(input.attachmentIds).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id (a random UUID): also the address of its bytes, `url`.' }),
    contentType: t.exposeString('contentType', {
      description: 'Decided from the bytes, never from the name or the type the client sent: image/png, image/jpeg, image/webp, image/gif, another type the bytes show, or application/octet-stream.',
    }),
    byteSize: t.exposeInt('byteSize', { description: 'Bytes stored: an image as re-encoded without its metadata, any other file as uploaded.' }),
    name: t.exposeString('name', { nullable: true, description: `The file's name as uploaded: its base name, without control or bidi characters, at most ${MAX_NAME} characters. Null when none was given.` }),
    alt: t.exposeString('alt', { nullable: true, description: `Text describing an image for people who cannot see it: one line, at most ${MAX_ALT} characters.` }),
    width: t.exposeInt('width', { nullable: true, description: 'Width in pixels, upright (EXIF orientation applied). Null for files that are not images.' }),
    height: t.exposeInt('height', { nullable: true, description: 'Height in pixels (one frame of an animation). Null for files that are not images.' }),
    url: t.string({
      description: 'Where the bytes are: a path on this server (GET, HEAD, Range). Images are served inline, anything else as a download. 404 once the message is deleted.',
      resolve: (a) => filePath(a.id),
    }),
    thumbnailUrl: t.string({
      nullable: true,
      description: `A WebP of an image fitting inside ${THUMBNAIL_BOX}×${THUMBNAIL_BOX} (never enlarged; an animation's first frame). Null for files that are not images.`,
      resolve: (a) => (a.thumbnail ? thumbnailPath(a.id) : null),
    }),
  }),
});

/** One attachments batch per context: a page of messages reads its attachments in one query. */
const attachmentsLoader = perContext((ctx) =>
  createLoader(async (ids) => [...(await attachmentsByMessageIds(ctx.services.db, ids))].map(([id, attachments]) => ({ id, attachments }))),
);

builder.objectField(Message, 'attachments', (t) =>
  t.field({
    type: [Attachment],
    description: `Its images and files in the order posted (at most ${MAX_ATTACHMENTS}). Empty once deleted: the deletion erases them.`,
    complexity: { field: 1, multiplier: MAX_ATTACHMENTS },
    resolve: async (message, _args, ctx) => {
      if (message.deletedAt !== null) return [];
      // Fan-out rows are folded from the event and carry them: no read.
      const carried = (message as { readonly attachments?: readonly AttachmentData[] | '' }).attachments;
      if (Array.isArray(carried)) return carried;
      return (await attachmentsLoader(ctx)(message.id))?.attachments ?? [];
    },
  }),
);

builder.mutationField('uploadAttachment', (t) =>
  t.field({
    type: Attachment,
    description: `Uploads one file (a multipart request: ${MULTIPART_SPEC}, with the x-graphql-yoga-csrf header), to post with postMessage(input.attachmentIds) within a day. Needs a token. PNG, JPEG, WebP and GIF images are decoded (at most ${MAX_INPUT_PIXELS.toLocaleString('en-US')} pixels), stripped of metadata (EXIF, GPS) and given a thumbnail; a file named or typed as an image that does not decode is BAD_USER_INPUT. Larger than THRDS_MAX_UPLOAD_BYTES (10 MiB): PAYLOAD_TOO_LARGE. Too many uploads (THRDS_RATE_UPLOADS_PER_USER) or bytes in a day (THRDS_UPLOAD_QUOTA_BYTES): RATE_LIMITED.`,
    // Decoding and re-encoding an image is the costliest thing a request can ask for.
    complexity: 50,
    args: {
      file: t.arg({ type: FileScalar, required: true, description: 'The file: a part of the multipart request, mapped to this variable.' }),
      alt: t.arg.string({ description: `Alt text of an image: one line, at most ${MAX_ALT} characters.` }),
    },
    resolve: async (_root, args, ctx) => uploadAttachment(ctx.services, await requireActor(ctx), args.file, args.alt),
  }),
);
