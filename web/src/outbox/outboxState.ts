/**
 * The outbox: this person's sends the server has not confirmed, kept in the
 * browser so that a message written offline (or just before a reload)
 * survives and goes out later under its original idempotency key, so it can
 * only ever become one message. Pure: what is stored, and how it is read back
 * from storage that may hold anything.
 */
import type { Message, QuotedMessage } from '../api/decode.ts';

/** More than anyone writes offline; past it the oldest go first, so storage stays small. */
export const maxOutboxEntries = 200;

export interface OutboxEntry {
  readonly key: string;
  readonly threadId: string;
  readonly body: string;
  /** What it answers: only what a reply quote shows. */
  readonly replyTo: QuotedMessage | null;
  readonly attachmentIds: readonly string[];
  /** Set when the server refused it (not a network failure): shown with its words until discarded. */
  readonly refused: { readonly error: string; readonly permanent: boolean } | null;
}

export function entriesOfThread(entries: readonly OutboxEntry[], threadId: string): readonly OutboxEntry[] {
  return entries.filter((e) => e.threadId === threadId);
}

/**
 * One thread's entries replaced by `current`, in order, keeping the other
 * threads' entries and any of this thread's that the writer never knew of
 * (another tab added them); the oldest go past `maxOutboxEntries`.
 */
export function replaceThread(
  entries: readonly OutboxEntry[],
  threadId: string,
  current: readonly OutboxEntry[],
  known: ReadonlySet<string>,
): readonly OutboxEntry[] {
  const kept = entries.filter((e) => e.threadId !== threadId || (!known.has(e.key) && !current.some((c) => c.key === e.key)));
  const next = [...kept, ...current];
  return next.length > maxOutboxEntries ? next.slice(next.length - maxOutboxEntries) : next;
}

/** A quoted message as a reply target to show; the fields a quote does not use are empty. */
export function replyTargetOf(quoted: QuotedMessage): Message {
  return { ...quoted, author: quoted.author ?? { id: '', username: '', displayName: 'Someone' }, postedAt: '', position: '0', replyTo: null, editedAt: null, reactions: [] };
}

/** Reads stored entries back, skipping anything malformed (storage is outside the app's control). */
export function parseOutbox(raw: unknown): readonly OutboxEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown) => {
    const entry = parseEntry(item);
    return entry ? [entry] : [];
  });
}

function parseEntry(item: unknown): OutboxEntry | null {
  if (!isRecord(item)) return null;
  const { key, threadId, body, replyTo, attachmentIds, refused } = item;
  if (typeof key !== 'string' || key === '' || typeof threadId !== 'string' || typeof body !== 'string') return null;
  const ids = Array.isArray(attachmentIds) ? attachmentIds.filter((id): id is string => typeof id === 'string') : [];
  return { key, threadId, body, replyTo: parseQuoted(replyTo), attachmentIds: ids, refused: parseRefused(refused) };
}

function parseQuoted(value: unknown): QuotedMessage | null {
  if (!isRecord(value) || typeof value['id'] !== 'string' || typeof value['body'] !== 'string') return null;
  const author = value['author'];
  const deletedAt = value['deletedAt'];
  return {
    id: value['id'],
    body: value['body'],
    deletedAt: typeof deletedAt === 'string' ? deletedAt : null,
    author:
      isRecord(author) && typeof author['id'] === 'string' && typeof author['displayName'] === 'string'
        ? { id: author['id'], displayName: author['displayName'], username: typeof author['username'] === 'string' ? author['username'] : '' }
        : null,
  };
}

function parseRefused(value: unknown): OutboxEntry['refused'] {
  if (!isRecord(value) || typeof value['error'] !== 'string') return null;
  return { error: value['error'], permanent: value['permanent'] === true };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
