/**
 * Writes a small but realistic chat log through the real event store:
 * users, threads, and messages in both MessagePosted schema versions.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AttachmentData } from '../../../src/attachments/attachmentTypes.ts';
import type { Database } from '../../../src/db/database.ts';
import type { EventStore } from '../../../src/events/eventStore.ts';
import { streamOf } from '../../../src/events/types.ts';
import { messageContentKey, newEvent } from '../../../src/modules/eventModule.ts';
import { messageDeleted } from '../../../src/modules/messageDeleted.ts';
import { messageEdited } from '../../../src/modules/messageEdited.ts';
import { messagePosted } from '../../../src/modules/messagePosted.ts';
import { reactionAdded } from '../../../src/modules/reactionAdded.ts';
import { reactionRemoved } from '../../../src/modules/reactionRemoved.ts';
import { threadLockChanged } from '../../../src/modules/threadLockChanged.ts';
import { userRoleChanged } from '../../../src/modules/userRoleChanged.ts';
import { userSuspended } from '../../../src/modules/userSuspended.ts';

const meta = (actorId: string | null) => ({ actorId, correlationId: randomUUID(), causationId: null });

/** An attachment's metadata as MessagePosted records it; no bytes behind it. */
function fakeAttachment(n: number, contentType: string): AttachmentData {
  const sha256 = createHash('sha256').update(`file ${n}`).digest('hex');
  const image = contentType.startsWith('image/');
  return {
    id: randomUUID(),
    sha256,
    contentType,
    byteSize: 1000 + n,
    name: `file ${n}${image ? '.png' : '.pdf'}`,
    alt: image ? `picture ${n}` : null,
    width: image ? 640 : null,
    height: image ? 480 : null,
    thumbnail: image ? { sha256: createHash('sha256').update(`thumb ${n}`).digest('hex'), contentType: 'image/webp', byteSize: 100 + n, width: 320, height: 240 } : null,
  };
}

export interface ChatLog {
  readonly userIds: string[];
  readonly threadIds: string[];
}

export async function registerUsers(store: EventStore, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const userId = randomUUID();
      await store.append({
        streamId: streamOf.user(userId),
        events: [{ type: 'UserRegistered', data: { userId, username: `user${i}_${userId.slice(0, 6)}`, displayName: `User ${i}` } }],
        metadata: meta(null),
        expectedVersion: 'no_stream',
      });
      return userId;
    }),
  );
}

export async function createThreads(store: EventStore, authors: readonly string[], count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const threadId = randomUUID();
    await store.append({
      streamId: streamOf.thread(threadId),
      events: [{ type: 'ThreadCreated', data: { threadId, title: `Thread ${i} ✓` } }],
      metadata: meta(authors[i % authors.length]!),
      expectedVersion: 'no_stream',
    });
    ids.push(threadId);
  }
  return ids;
}

/** Posts `count` messages round-robin, `concurrency` at a time; every `v1Every`-th is a stored v1 event (no format). */
export async function postMessages(store: EventStore, log: ChatLog, count: number, options: { concurrency?: number; v1Every?: number } = {}): Promise<void> {
  const concurrency = options.concurrency ?? 20;
  for (let start = 0; start < count; start += concurrency) {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count - start) }, (_, j) => {
        const n = start + j;
        return postOne(store, log, n, options.v1Every !== undefined && n % options.v1Every === 0);
      }),
    );
  }
}

export function postOne(store: EventStore, log: ChatLog, n: number, v1 = false) {
  const threadId = log.threadIds[n % log.threadIds.length]!;
  const base = { messageId: randomUUID(), threadId, body: `message ${n} — "quoted" \\ ünïcode`, replyToId: null };
  return store.append({
    streamId: streamOf.thread(threadId),
    events: [v1 ? { type: 'MessagePosted', schemaVersion: 1, data: base } : { type: 'MessagePosted', schemaVersion: 2, data: { ...base, format: 'plain' } }],
    metadata: meta(log.userIds[n % log.userIds.length]!),
  });
}

export async function seedChat(
  store: EventStore,
  sizes: { users: number; threads: number; messages: number; v1Every?: number; conversations?: number },
): Promise<ChatLog> {
  const userIds = await registerUsers(store, sizes.users);
  const threadIds = await createThreads(store, userIds, sizes.threads);
  const log = { userIds, threadIds };
  await postMessages(store, log, sizes.messages, sizes.v1Every === undefined ? {} : { v1Every: sizes.v1Every });
  if (sizes.conversations) await converse(store, log, sizes.conversations);
  return log;
}

/**
 * Every event type issue 12 added, as the modules write them: `count`
 * messages with erasable text (each mentioning a user, until its last edit), reacted to, un-reacted, edited twice, some
 * deleted (their text erased), threads locked and unlocked, a role change
 * and a suspension that is lifted. Needs two users or more.
 */
export async function converse(store: EventStore, log: ChatLog, count: number): Promise<void> {
  const append = (streamId: string, actorId: string, events: ReturnType<typeof newEvent>[]) => store.append({ streamId, events, metadata: meta(actorId) });
  const [admin, moderator, member] = [log.userIds[0]!, log.userIds[1]!, log.userIds.at(-1)!];
  await append(streamOf.user(moderator), admin, [newEvent(userRoleChanged, { userId: moderator, role: 'MODERATOR', previousRole: 'MEMBER' })]);
  for (let i = 0; i < count; i += 1) {
    const threadId = log.threadIds[i % log.threadIds.length]!;
    const stream = streamOf.thread(threadId);
    const author = log.userIds[i % log.userIds.length]!;
    const other = log.userIds[(i + 1) % log.userIds.length]!;
    const messageId = randomUUID();
    const target = { messageId, threadId };
    // Mentions the next user (registerUsers' names), so the mentions read model has rows; an edit drops it.
    const mention = `@user${(i + 1) % log.userIds.length}_${other.slice(0, 6)}`;
    // Every third carries files (metadata only: the read models never look at the bytes), so the attachments read model has rows.
    const attachments = i % 3 === 0 ? [fakeAttachment(i, 'image/png'), fakeAttachment(i + 1, 'application/pdf')] : [];
    await append(stream, author, [newEvent(messagePosted, { ...target, body: `conversation ${i}: first words to ${mention}`, replyToId: null, format: 'plain', attachments })]);
    await append(stream, other, [newEvent(reactionAdded, { ...target, emoji: '👍' })]);
    await append(stream, author, [newEvent(reactionAdded, { ...target, emoji: '🎉' })]);
    if (i % 3 === 1) await append(stream, other, [newEvent(reactionRemoved, { ...target, emoji: '👍' })]);
    if (i % 2 === 0) {
      await append(stream, author, [newEvent(messageEdited, { ...target, body: `conversation ${i}: second words, still to ${mention}` })]);
      await append(stream, author, [newEvent(messageEdited, { ...target, body: `conversation ${i}: last words` })]);
    }
    if (i % 4 === 3) {
      const by = i % 8 === 3 ? author : moderator;
      await append(stream, by, [newEvent(messageDeleted, { ...target, reason: by === author ? null : 'off topic', erases: messageContentKey(messageId) })]);
    }
    if (i % 5 === 0) {
      await append(stream, moderator, [newEvent(threadLockChanged, { threadId, locked: true })]);
      await append(stream, moderator, [newEvent(threadLockChanged, { threadId, locked: false })]);
    }
  }
  await append(streamOf.user(member), moderator, [newEvent(userSuspended, { userId: member, until: Date.UTC(2100, 0, 1) })]);
  await append(streamOf.user(member), moderator, [newEvent(userSuspended, { userId: member, until: Date.UTC(2000, 0, 1) })]);
}

/** Simulates an attacker with DDL rights: lifts the append-only triggers, then runs `sql`. */
export async function tamper(db: Database, ...statements: string[]): Promise<void> {
  await db.exec('DROP TRIGGER events_are_append_only_update');
  await db.exec('DROP TRIGGER events_are_append_only_delete');
  for (const sql of statements) await db.execute(sql);
}

/** Every row of a table, in a stable order, as plain strings (the drivers differ in number types). */
export async function tableRows(db: Database, table: string, order: string): Promise<string[][]> {
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${order}`);
  return rows.map((r) => Object.keys(r).sort().map((k) => `${k}=${r[k] === null ? 'null' : String(r[k])}`));
}
