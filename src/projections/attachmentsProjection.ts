/**
 * attachments: one row per attachment of a standing message, in posting
 * order, from MessagePosted's `attachments` (metadata and digests only: the
 * bytes are in the file store). MessageDeleted removes the message's rows;
 * their bytes are erased after the append (src/attachments/eraseFiles.ts).
 *
 * A MessagePosted whose content is erased reads `attachments` as '' (and one
 * written before attachments existed has none): both fold to no rows, so a
 * rebuild writes what the live table holds.
 */
import type { Statement } from '../db/database.ts';
import { valuesList } from '../db/sqlFragments.ts';
import type { StoredEvent } from '../events/types.ts';
import { evolveReadModel } from '../modules/index.ts';
import type { AttachmentData } from '../attachments/attachmentTypes.ts';
import { type Projection, projection, tableName } from './projection.ts';

export interface AttachmentRow extends AttachmentData {
  readonly messageId: string;
  /** Its place among the message's attachments, from 0. */
  readonly ordinal: number;
  /** Position of the MessagePosted. */
  readonly position: number;
}

export type AttachmentChange = { readonly kind: 'post'; readonly rows: readonly AttachmentRow[] } | { readonly kind: 'clear'; readonly messageId: string };

/** What a run of events does to the attachments table, in order: the event modules' `attachments` steps fill it in. */
export class AttachmentChanges {
  readonly changes: AttachmentChange[] = [];

  /** `attachments` as the event reads: a list, or '' once erased, or absent before attachments existed. */
  post(messageId: string, position: number, attachments: unknown): void {
    if (!Array.isArray(attachments) || attachments.length === 0) return;
    const rows = (attachments as AttachmentData[]).map((data, ordinal) => ({ ...data, messageId, ordinal, position }));
    this.changes.push({ kind: 'post', rows });
  }

  clear(messageId: string): void {
    this.changes.push({ kind: 'clear', messageId });
  }
}

export function evolveAttachments(events: readonly StoredEvent[]): AttachmentChanges {
  return evolveReadModel('attachments', new AttachmentChanges(), events);
}

export const attachmentsProjection: Projection = projection('attachments', (events, table = 'attachments') =>
  attachmentStatements(evolveAttachments(events).changes, tableName(table)),
);

const COLUMNS = [
  'id',
  'message_id',
  'ordinal',
  'position',
  'sha256',
  'content_type',
  'byte_size',
  'name',
  'alt',
  'width',
  'height',
  'thumb_sha256',
  'thumb_content_type',
  'thumb_byte_size',
  'thumb_width',
  'thumb_height',
] as const;

/** The changes as SQL, in order; most messages have no attachments and cost no statement. */
export function attachmentStatements(changes: readonly AttachmentChange[], table: string): Statement[] {
  return changes.map((change) => {
    if (change.kind === 'clear') return { sql: `DELETE FROM ${table} WHERE message_id = ?`, params: [change.messageId] };
    return {
      sql: `INSERT INTO ${table} (${COLUMNS.join(', ')}) VALUES ${valuesList(COLUMNS.length, change.rows.length)}`,
      params: change.rows.flatMap((row) => [
        row.id,
        row.messageId,
        row.ordinal,
        row.position,
        row.sha256,
        row.contentType,
        row.byteSize,
        row.name,
        row.alt,
        row.width,
        row.height,
        row.thumbnail?.sha256 ?? null,
        row.thumbnail?.contentType ?? null,
        row.thumbnail?.byteSize ?? null,
        row.thumbnail?.width ?? null,
        row.thumbnail?.height ?? null,
      ]),
    };
  });
}
