/**
 * The files a log refers to: every attachment (and thumbnail) of every
 * message whose content is not erased, gathered on a walk of the log by
 * `thrds verify`, `export` and `import`. The attachments are erasable
 * content of MessagePosted (schema v4), so an erased message refers to no
 * file any more: its digests went with its text. Users' avatars too: the
 * picture of a UserAvatarChanged whose content is not erased (every later
 * change erases it, so that is each user's current avatar).
 *
 * One entry per digest (the same bytes may back several attachments): the
 * first attachment that refers to it, for the report, and how many do.
 */
import { isSha256 } from '../attachments/folderFileStore.ts';
import { type EventRow, parseJson } from '../events/eventRows.ts';
import type { StoredEvent } from '../events/types.ts';

export interface FileRef {
  readonly sha256: string;
  /** The size the log records for these bytes. */
  readonly byteSize: number;
  /** The attachment, or for an avatar the avatar id. */
  readonly attachmentId: string;
  /** The message that holds the attachment; for an avatar, the user's id. */
  readonly messageId: string;
  /** The MessagePosted (or UserAvatarChanged) event that holds it. */
  readonly position: number;
  /** The uploaded file, or the thumbnail made from it, or a user's avatar. */
  readonly role: 'file' | 'thumbnail' | 'avatar';
  /** Attachments (and thumbnails) referring to the same bytes, this one included. */
  readonly uses: number;
}

export interface AttachmentRefsState {
  readonly refs: readonly FileRef[];
  readonly attachments: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class AttachmentRefs {
  private readonly bySha = new Map<string, Mutable<FileRef>>();
  private attachmentCount = 0;

  /** Attachments met on the walk (thumbnails not counted apart). */
  get attachments(): number {
    return this.attachmentCount;
  }

  /** Distinct files referred to. */
  get size(): number {
    return this.bySha.size;
  }

  has(sha256: string): boolean {
    return this.bySha.has(sha256);
  }

  [Symbol.iterator](): IterableIterator<FileRef> {
    return this.bySha.values();
  }

  /** What a walk of one stretch found, in a form a worker thread can post (logWorkers.ts). */
  state(): AttachmentRefsState {
    return { refs: [...this.bySha.values()], attachments: this.attachmentCount };
  }

  /** Adds what a walk of the stretch right after the one walked so far found: the first reference to each file stays the one reported. */
  absorb(later: AttachmentRefsState): void {
    this.attachmentCount += later.attachments;
    for (const ref of later.refs) {
      const known = this.bySha.get(ref.sha256);
      if (known) known.uses += ref.uses;
      else this.bySha.set(ref.sha256, { ...ref });
    }
  }

  /** A stored row (verify, export): only a MessagePosted whose content mentions attachments, or an avatar's, is parsed. */
  pushRow(row: EventRow): void {
    if (row.type === 'UserAvatarChanged' && row.content !== null) {
      const data = parseJson(row.data) as Record<string, unknown>;
      this.addAvatar(Number(row.position), data, (JSON.parse(row.content) as { fields?: Record<string, unknown> }).fields?.avatar);
      return;
    }
    if (row.type !== 'MessagePosted' || row.content === null || !row.content.includes('"attachments":[{')) return;
    const data = parseJson(row.data) as Record<string, unknown>;
    const content = JSON.parse(row.content) as { fields?: Record<string, unknown> };
    this.add(Number(row.position), data.messageId, content.fields?.attachments);
  }

  /** An event in its stored form (import). */
  push(event: StoredEvent): void {
    if (event.type === 'UserAvatarChanged' && event.content) return this.addAvatar(event.position, event.data, event.content.fields.avatar);
    if (event.type !== 'MessagePosted' || !event.content) return;
    this.add(event.position, event.data.messageId, event.content.fields.attachments);
  }

  private add(position: number, messageId: unknown, attachments: unknown): void {
    if (!Array.isArray(attachments)) return;
    for (const value of attachments) {
      if (value === null || typeof value !== 'object') continue;
      const attachment = value as Record<string, unknown>;
      this.attachmentCount += 1;
      const base = { attachmentId: String(attachment.id), messageId: String(messageId), position };
      this.refer({ ...base, sha256: attachment.sha256, byteSize: attachment.byteSize, role: 'file' });
      const thumbnail = attachment.thumbnail;
      if (thumbnail !== null && typeof thumbnail === 'object') {
        const { sha256, byteSize } = thumbnail as Record<string, unknown>;
        this.refer({ ...base, sha256, byteSize, role: 'thumbnail' });
      }
    }
  }

  private addAvatar(position: number, data: Readonly<Record<string, unknown>>, avatar: unknown): void {
    if (avatar === null || typeof avatar !== 'object') return;
    const { sha256, byteSize } = avatar as Record<string, unknown>;
    this.refer({ attachmentId: String(data.avatarId), messageId: String(data.userId), position, sha256, byteSize, role: 'avatar' });
  }

  private refer(ref: Omit<FileRef, 'sha256' | 'byteSize' | 'uses'> & { sha256: unknown; byteSize: unknown }): void {
    // The chain protects the data: a digest that is not one was written so by a bug, and names no file to check.
    if (typeof ref.sha256 !== 'string' || !isSha256(ref.sha256)) return;
    const known = this.bySha.get(ref.sha256);
    if (known) known.uses += 1;
    else this.bySha.set(ref.sha256, { ...ref, sha256: ref.sha256, byteSize: Number(ref.byteSize), uses: 1 });
  }
}
