/**
 * Time travel through edits and deletions: an edited message shows the text
 * it had then, with the revisions it had then; a deleted one is a tombstone
 * at every position, even before its deletion (its text is erased from the
 * log), with the time it was deleted.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent, StoredEvent } from '../../src/events/types.ts';
import { streamOf } from '../../src/events/types.ts';
import { messageContentKey, newEvent } from '../../src/modules/eventModule.ts';
import { messageDeleted } from '../../src/modules/messageDeleted.ts';
import { messageEdited } from '../../src/modules/messageEdited.ts';
import { messagePosted } from '../../src/modules/messagePosted.ts';
import { threadAsOf } from '../../src/projections/timeTravel.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { createThreads, registerUsers } from '../cli/support/chatLog.ts';

const kinds = await storeKinds();

describe.each(kinds)('time travel through edits and deletions on %s', (kind) => {
  let t: TestThrds;
  let threadId: string;
  const kept = randomUUID();
  const gone = randomUUID();
  const old = randomUUID();
  const at: Record<string, StoredEvent> = {};
  beforeAll(async () => {
    t = await openTestThrds(kind);
    const users = await registerUsers(t.store, 1);
    [threadId] = (await createThreads(t.store, users, 1)) as [string];
    const metadata = { actorId: users[0]!, correlationId: 'test', causationId: null };
    const append = async (name: string, event: NewEvent) => {
      at[name] = (await t.store.append({ streamId: streamOf.thread(threadId), events: [event], metadata })).events[0]!;
    };
    // Written as before erasable content (v2: the text inside the hashed data), so its deletion cannot erase it from the log.
    await append('oldPosted', { type: 'MessagePosted', schemaVersion: 2, data: { messageId: old, threadId, body: 'old words', replyToId: null, format: 'plain' } });
    await append('keptPosted', newEvent(messagePosted, { messageId: kept, threadId, body: 'kept 1', replyToId: null, format: 'plain', attachments: [] }));
    await append('gonePosted', newEvent(messagePosted, { messageId: gone, threadId, body: 'gone 1', replyToId: null, format: 'plain', attachments: [] }));
    await append('keptEdited', newEvent(messageEdited, { messageId: kept, threadId, body: 'kept 2' }));
    await append('goneEdited', newEvent(messageEdited, { messageId: gone, threadId, body: 'gone 2' }));
    await append('keptEditedAgain', newEvent(messageEdited, { messageId: kept, threadId, body: 'kept 3' }));
    await append('goneDeleted', newEvent(messageDeleted, { messageId: gone, threadId, reason: 'oops', erases: messageContentKey(gone) }));
    await append('oldDeleted', newEvent(messageDeleted, { messageId: old, threadId, reason: null, erases: messageContentKey(old) }));
  });
  afterAll(async () => {
    await t.dispose();
  });

  const messagesAt = async (name: string) => (await threadAsOf(t.store, threadId, at[name]!.position))!.messages;

  it('shows an edited message with the text and revisions it had at each position', async () => {
    const keptAt = async (name: string) => (await messagesAt(name)).find((m) => m.id === kept);
    expect(await keptAt('keptPosted')).toMatchObject({ body: 'kept 1', editedAt: null, revisions: [] });
    expect(await keptAt('keptEdited')).toMatchObject({
      body: 'kept 2',
      editedAt: at.keptEdited!.recordedAt,
      revisions: [{ body: 'kept 1', editedAt: at.keptPosted!.recordedAt }],
    });
    expect(await keptAt('goneDeleted')).toMatchObject({
      body: 'kept 3',
      editedAt: at.keptEditedAgain!.recordedAt,
      revisions: [
        { body: 'kept 1', editedAt: at.keptPosted!.recordedAt },
        { body: 'kept 2', editedAt: at.keptEdited!.recordedAt },
      ],
    });
  });

  it('shows a message posted before erasable content and deleted since as its tombstone too, though the log still holds its text', async () => {
    const stored = await t.store.readAll({ after: at.oldPosted!.position - 1, until: at.oldPosted!.position });
    expect(stored[0]!.data).toMatchObject({ body: 'old words' });
    for (const name of ['oldPosted', 'goneDeleted', 'oldDeleted']) {
      expect((await messagesAt(name))[0]).toMatchObject({ id: old, body: '', deletedAt: at.oldDeleted!.recordedAt, revisions: [] });
    }
  });

  it('shows a deleted message as its tombstone at every position, before its deletion too, with when it was deleted', async () => {
    for (const name of ['gonePosted', 'goneEdited', 'keptEditedAgain', 'goneDeleted']) {
      const messages = await messagesAt(name);
      expect(messages.map((m) => m.id)).toEqual([old, kept, gone]);
      expect(messages[2]).toMatchObject({ id: gone, body: '', deletedAt: at.goneDeleted!.recordedAt, revisions: [], position: at.gonePosted!.position });
    }
  });
});
