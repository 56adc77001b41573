/**
 * One long thread for the attack bench: a user, a thread and `messages`
 * messages (every tenth a reply), appended through the event store in
 * batches with the inline projections, so the log, the hash chain and the
 * read models are what the API would have written, in seconds.
 */
import { randomUUID } from 'node:crypto';
import { streamOf } from '../../src/events/types.ts';
import { newEvent } from '../../src/modules/eventModule.ts';
import { messagePosted } from '../../src/modules/messagePosted.ts';
import { threadCreated } from '../../src/modules/threadCreated.ts';
import { userRegistered } from '../../src/modules/userRegistered.ts';
import { openThrds } from '../../src/openThrds.ts';

export interface LongThread {
  readonly threadId: string;
  /** The log head after seeding (the `asOf` that folds the whole thread). */
  readonly head: number;
}

const BATCH = 500;

export async function seedLongThread(databaseUrl: string, messages: number): Promise<LongThread> {
  const thrds = await openThrds({ databaseUrl });
  try {
    const userId = randomUUID();
    const threadId = randomUUID();
    const metadata = { actorId: userId, correlationId: 'bench-seed', causationId: null };
    await thrds.store.append({
      streamId: streamOf.user(userId),
      events: [newEvent(userRegistered, { userId, username: 'long_talker', displayName: 'Long Talker', role: 'MEMBER' })],
      metadata,
      expectedVersion: 'no_stream',
    });
    await thrds.store.append({
      streamId: streamOf.thread(threadId),
      events: [newEvent(threadCreated, { threadId, title: 'A very long thread' })],
      metadata,
      expectedVersion: 'no_stream',
    });
    // Bodies of realistic length (100–400 characters), some near the 4,000 limit.
    const ids: string[] = [];
    let head = 0;
    for (let done = 0; done < messages; done += BATCH) {
      const events = [];
      for (let i = done; i < Math.min(messages, done + BATCH); i++) {
        const messageId = randomUUID();
        const replyToId = i % 10 === 9 ? (ids[i - 5] ?? null) : null;
        ids.push(messageId);
        const body = i % 100 === 0 ? 'long '.repeat(790) : `message ${i}: ${'lorem ipsum dolor sit amet '.repeat(4 + (i % 12))}`;
        events.push(newEvent(messagePosted, { messageId, threadId, body, replyToId, format: 'plain', attachments: [] }));
      }
      head = (await thrds.store.append({ streamId: streamOf.thread(threadId), events, metadata, expectedVersion: 'stream_exists' })).lastPosition;
    }
    return { threadId, head };
  } finally {
    await thrds.close();
  }
}
