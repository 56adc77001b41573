/**
 * The `uploads` table: files uploaded and not yet posted (claim_token NULL),
 * or claimed by a post (its token). Not a read model and not in the log: an
 * upload is a user's private draft until a MessagePosted carries its
 * metadata. One SQL operation per function.
 */
import type { Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import type { AttachmentData } from './attachmentTypes.ts';

export interface UploadRow {
  readonly id: string;
  readonly ownerId: string;
  readonly createdAt: number;
  readonly claimToken: string | null;
  readonly data: AttachmentData;
}

interface Stored {
  id: string;
  owner_id: string;
  created_at: number | string;
  claim_token: string | null;
  metadata: string | AttachmentData;
}

const rowOf = (r: Stored): UploadRow => ({
  id: r.id,
  ownerId: r.owner_id,
  createdAt: Number(r.created_at),
  claimToken: r.claim_token,
  // MariaDB's JSON is text; a driver that parses it hands over the object.
  data: typeof r.metadata === 'string' ? (JSON.parse(r.metadata) as AttachmentData) : r.metadata,
});

export async function insertUpload(db: Sql, ownerId: string, createdAt: number, data: AttachmentData): Promise<void> {
  await db.execute('INSERT INTO uploads (id, owner_id, created_at, claim_token, sha256, thumb_sha256, metadata) VALUES (?, ?, ?, NULL, ?, ?, ?)', [
    data.id,
    ownerId,
    createdAt,
    data.sha256,
    data.thumbnail?.sha256 ?? null,
    JSON.stringify(data),
  ]);
}

/** The uploads with these ids (`lock`: the dialect's FOR UPDATE, inside a transaction). */
export async function uploadsByIds(db: Sql, ids: readonly string[], lock = ''): Promise<UploadRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<Stored>(`SELECT id, owner_id, created_at, claim_token, metadata FROM uploads WHERE id IN (${inList(ids)})${lock}`, ids);
  return rows.map(rowOf);
}

/** Claims the owner's unclaimed uploads among `ids` for `token`; returns how many it claimed. */
export async function claimRows(db: Sql, ownerId: string, ids: readonly string[], token: string): Promise<number> {
  if (ids.length === 0) return 0;
  const { affectedRows } = await db.execute(`UPDATE uploads SET claim_token = ? WHERE owner_id = ? AND claim_token IS NULL AND id IN (${inList(ids)})`, [
    token,
    ownerId,
    ...ids,
  ]);
  return affectedRows;
}

export async function releaseRows(db: Sql, ownerId: string, ids: readonly string[], token: string): Promise<void> {
  if (ids.length === 0) return;
  // Never one a message already carries: a same-key retry that adds another file claims the posted ones again, and
  // its refusal must not free them for a second post. The attachments read model is written with the post.
  await db.execute(
    `UPDATE uploads SET claim_token = NULL WHERE owner_id = ? AND claim_token = ? AND id IN (${inList(ids)}) AND id NOT IN (SELECT id FROM attachments WHERE id IN (${inList(ids)}))`,
    [ownerId, token, ...ids, ...ids],
  );
}

export async function deleteUploads(db: Sql, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(`DELETE FROM uploads WHERE id IN (${inList(ids)})`, ids);
}

/** Uploads created before `before` (unposted ones, and claims whose post never landed or landed long ago). */
export async function staleUploads(db: Sql, before: number, limit: number): Promise<UploadRow[]> {
  const rows = await db.query<Stored>('SELECT id, owner_id, created_at, claim_token, metadata FROM uploads WHERE created_at < ? ORDER BY created_at LIMIT ?', [before, limit]);
  return rows.map(rowOf);
}
