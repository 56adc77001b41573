/**
 * A log with attachments, written the way the server writes one but without
 * HTTP: the bytes go into a real folder file store, and MessagePosted events
 * (schema v4) carrying their metadata are appended through the real event
 * store. Some attachments have thumbnails, two share the same bytes, one
 * message is deleted with its bytes removed (as the server does), and one
 * is deleted with its bytes left behind (an erasure the server has not
 * finished).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type AttachmentData, digestsOf, type FileStore } from '../../../src/attachments/attachmentTypes.ts';
import type { EventStore } from '../../../src/events/eventStore.ts';
import { streamOf } from '../../../src/events/types.ts';
import { messageContentKey, newEvent } from '../../../src/modules/eventModule.ts';
import { messageDeleted } from '../../../src/modules/messageDeleted.ts';
import { messagePosted } from '../../../src/modules/messagePosted.ts';
import { seedChat } from './chatLog.ts';

const meta = (actorId: string) => ({ actorId, correlationId: randomUUID(), causationId: null });

export interface PostedAttachment {
  readonly messageId: string;
  readonly data: AttachmentData;
}

export interface AttachmentLog {
  /** Attachments of messages still standing, in posting order. */
  readonly live: PostedAttachment[];
  /** Distinct digests the live attachments (and thumbnails) refer to. */
  readonly liveDigests: Set<string>;
  /** The digests of the deleted message whose bytes were left in the store (not referred to by any live one). */
  readonly leftBehind: string[];
  /** Events in the log. */
  readonly events: number;
}

async function attachment(files: FileStore, n: number, bytes: Uint8Array, withThumbnail: boolean): Promise<AttachmentData> {
  const stored = await files.put(bytes);
  const thumbnail = withThumbnail ? await files.put(randomBytes(200 + n)) : undefined;
  return {
    id: randomUUID(),
    sha256: stored.sha256,
    contentType: withThumbnail ? 'image/png' : 'application/pdf',
    byteSize: stored.byteSize,
    name: withThumbnail ? `picture ${n}.png` : `report ${n} ✓.pdf`,
    alt: withThumbnail ? `a picture (${n})` : null,
    width: withThumbnail ? 640 : null,
    height: withThumbnail ? 480 : null,
    thumbnail: thumbnail ? { sha256: thumbnail.sha256, contentType: 'image/webp', byteSize: thumbnail.byteSize, width: 480, height: 360 } : null,
  };
}

/** `messages` messages with 1-3 attachments each (plus 2 deleted ones), over a small chat (3 users, 2 threads, 4 plain messages). */
export async function seedAttachments(store: EventStore, files: FileStore, messages: number): Promise<AttachmentLog> {
  const chat = await seedChat(store, { users: 3, threads: 2, messages: 4 });
  const live: PostedAttachment[] = [];
  const shared = randomBytes(3000);
  const post = async (n: number) => {
    const threadId = chat.threadIds[n % chat.threadIds.length]!;
    const messageId = randomUUID();
    const attachments: AttachmentData[] = [];
    for (let i = 0; i <= n % 3; i += 1) {
      // The first attachment of messages 0 and 1 are the same bytes.
      const bytes = i === 0 && n < 2 ? shared : randomBytes(1000 + 97 * n + i);
      attachments.push(await attachment(files, n * 10 + i, bytes, (n + i) % 2 === 0));
    }
    const author = chat.userIds[n % chat.userIds.length]!;
    await store.append({
      streamId: streamOf.thread(threadId),
      events: [newEvent(messagePosted, { messageId, threadId, body: n % 4 === 3 ? '' : `files ${n}`, replyToId: null, format: 'markdown', attachments })],
      metadata: meta(author),
    });
    return { messageId, threadId, author, attachments };
  };
  const remove = async ({ messageId, threadId, author }: { messageId: string; threadId: string; author: string }) =>
    store.append({
      streamId: streamOf.thread(threadId),
      events: [newEvent(messageDeleted, { messageId, threadId, reason: null, erases: messageContentKey(messageId) })],
      metadata: meta(author),
    });
  for (let n = 0; n < messages; n += 1) {
    const posted = await post(n);
    live.push(...posted.attachments.map((data) => ({ messageId: posted.messageId, data })));
  }
  // Deleted, and its bytes removed as the server does.
  const erased = await post(messages);
  await remove(erased);
  for (const a of erased.attachments) for (const sha of digestsOf(a)) await files.remove(sha);
  // Deleted, its bytes left behind.
  const unfinished = await post(messages + 1);
  await remove(unfinished);
  const liveDigests = new Set(live.flatMap((a) => digestsOf(a.data)));
  const leftBehind = [...new Set(unfinished.attachments.flatMap(digestsOf))].filter((sha) => !liveDigests.has(sha));
  return { live, liveDigests, leftBehind, events: (await store.head()).position };
}
