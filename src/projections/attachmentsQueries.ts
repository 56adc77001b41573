/** Reads of the attachments read model: a page of messages' attachments, one by id, and who still uses some bytes. */
import type { Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import type { AttachmentRow } from './attachmentsProjection.ts';

interface Stored {
  id: string;
  message_id: string;
  ordinal: number | string;
  position: number | string;
  sha256: string;
  content_type: string;
  byte_size: number | string;
  name: string | null;
  alt: string | null;
  width: number | string | null;
  height: number | string | null;
  thumb_sha256: string | null;
  thumb_content_type: string | null;
  thumb_byte_size: number | string | null;
  thumb_width: number | string | null;
  thumb_height: number | string | null;
}

const orNull = (value: number | string | null): number | null => (value === null ? null : Number(value));

function rowOf(r: Stored): AttachmentRow {
  return {
    id: r.id,
    messageId: r.message_id,
    ordinal: Number(r.ordinal),
    position: Number(r.position),
    sha256: r.sha256,
    contentType: r.content_type,
    byteSize: Number(r.byte_size),
    name: r.name,
    alt: r.alt,
    width: orNull(r.width),
    height: orNull(r.height),
    thumbnail:
      r.thumb_sha256 === null
        ? null
        : { sha256: r.thumb_sha256, contentType: r.thumb_content_type ?? '', byteSize: Number(r.thumb_byte_size), width: Number(r.thumb_width), height: Number(r.thumb_height) },
  };
}

/** Each message's attachments in posting order (an empty list for one without). */
export async function attachmentsByMessageIds(db: Sql, messageIds: readonly string[]): Promise<Map<string, AttachmentRow[]>> {
  const found = new Map<string, AttachmentRow[]>(messageIds.map((id) => [id, []]));
  if (messageIds.length === 0) return found;
  const rows = await db.query<Stored>(`SELECT * FROM attachments WHERE message_id IN (${inList(messageIds)}) ORDER BY message_id, ordinal`, messageIds);
  for (const row of rows) found.get(row.message_id)?.push(rowOf(row));
  return found;
}

/** A posted attachment (of a standing message), or undefined. */
export async function attachmentById(db: Sql, id: string): Promise<AttachmentRow | undefined> {
  const [row] = await db.query<Stored>('SELECT * FROM attachments WHERE id = ?', [id]);
  return row ? rowOf(row) : undefined;
}

/**
 * Of these digests, those a posted attachment (file or thumbnail), an
 * upload or a user's current avatar still refers to: their bytes must stay.
 */
export async function digestsInUse(db: Sql, digests: readonly string[]): Promise<Set<string>> {
  if (digests.length === 0) return new Set();
  const list = inList(digests);
  const rows = await db.query<{ sha256: string }>(
    `SELECT sha256 FROM attachments WHERE sha256 IN (${list})
     UNION SELECT thumb_sha256 FROM attachments WHERE thumb_sha256 IN (${list})
     UNION SELECT sha256 FROM uploads WHERE sha256 IN (${list})
     UNION SELECT thumb_sha256 FROM uploads WHERE thumb_sha256 IN (${list})
     UNION SELECT avatar_sha256 FROM users WHERE avatar_sha256 IN (${list})`,
    [...digests, ...digests, ...digests, ...digests, ...digests],
  );
  return new Set(rows.map((row) => row.sha256));
}
