/**
 * The messages read model with edits and deletions, on every store: each
 * change in its own transaction, the same log replayed in one run (post,
 * edits and deletion of a message folded together) with identical tables,
 * and the revisions read back from the log by erasure key.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamOf } from '../../src/events/types.ts';
import { newEvent, messageContentKey } from '../../src/modules/eventModule.ts';
import { messageDeleted } from '../../src/modules/messageDeleted.ts';
import { messageEdited } from '../../src/modules/messageEdited.ts';
import { messagePosted } from '../../src/modules/messagePosted.ts';
import { messagesByIds } from '../../src/projections/messagesQueries.ts';
import { MAX_REVISIONS, revisionsByMessageIds } from '../../src/projections/revisionsQueries.ts';
import { storeKinds } from '../support/databases.ts';
import { openTestThrds, type TestThrds } from '../support/thrds.ts';
import { createThreads, registerUsers, tableRows } from '../cli/support/chatLog.ts';

const kinds = await storeKinds();

describe.each(kinds)('the messages read model on %s', (kind) => {
  let t: TestThrds;
  let threadId: string;
  let actorId: string;
  beforeAll(async () => {
    t = await openTestThrds(kind);
    const users = await registerUsers(t.store, 1);
    actorId = users[0]!;
    [threadId] = (await createThreads(t.store, users, 1)) as [string];
  });
  afterAll(async () => {
    await t.dispose();
  });

  const append = async (event: ReturnType<typeof newEvent>) =>
    (await t.store.append({ streamId: streamOf.thread(threadId), events: [event], metadata: { actorId, correlationId: 'test', causationId: null } })).events[0]!;
  const post = async (body: string) => {
    const messageId = randomUUID();
    return { messageId, event: await append(newEvent(messagePosted, { messageId, threadId, body, replyToId: null, format: 'plain', attachments: [] })) };
  };
  const edit = (messageId: string, body: string) => append(newEvent(messageEdited, { messageId, threadId, body }));
  const remove = (messageId: string) => append(newEvent(messageDeleted, { messageId, threadId, reason: null, erases: messageContentKey(messageId) }));
  const row = async (messageId: string) => (await messagesByIds(t.db, [messageId]))[0];

  it('replaces the text and sets editedAt on each edit, and leaves a tombstone that keeps its place on deletion', async () => {
    const { messageId, event: posted } = await post('first');
    expect(await row(messageId)).toMatchObject({ body: 'first', editedAt: null, deletedAt: null, position: posted.position });
    const edited = await edit(messageId, 'second');
    expect(await row(messageId)).toMatchObject({ body: 'second', editedAt: edited.recordedAt, deletedAt: null, position: posted.position });
    const deleted = await remove(messageId);
    expect(await row(messageId)).toMatchObject({ body: '', editedAt: edited.recordedAt, deletedAt: deleted.recordedAt, position: posted.position });
  });

  it('reads revisions from the log oldest first, without the current text, the last `max` of them, and none once deleted', async () => {
    const { messageId, event: posted } = await post('v1');
    const never = (await post('untouched')).messageId;
    const edits = [await edit(messageId, 'v2'), await edit(messageId, 'v3'), await edit(messageId, 'v4')];
    const revisions = await revisionsByMessageIds(t.db, [messageId, never, randomUUID()]);
    expect(revisions.get(messageId)).toEqual([
      { body: 'v1', editedAt: posted.recordedAt },
      { body: 'v2', editedAt: edits[0]!.recordedAt },
      { body: 'v3', editedAt: edits[1]!.recordedAt },
    ]);
    expect(revisions.get(never)).toEqual([]);
    expect((await revisionsByMessageIds(t.db, [messageId], 2)).get(messageId)).toEqual([
      { body: 'v2', editedAt: edits[0]!.recordedAt },
      { body: 'v3', editedAt: edits[1]!.recordedAt },
    ]);
    await remove(messageId);
    expect((await revisionsByMessageIds(t.db, [messageId])).get(messageId)).toEqual([]);
  });

  it('reads at most the last MAX_REVISIONS earlier texts of a message edited more often than that', async () => {
    const { messageId } = await post('v1');
    for (let n = 2; n <= MAX_REVISIONS + 3; n += 1) await edit(messageId, `v${n}`);
    const revisions = (await revisionsByMessageIds(t.db, [messageId])).get(messageId)!;
    expect(revisions.map((r) => r.body)).toEqual(Array.from({ length: MAX_REVISIONS }, (_, i) => `v${i + 3}`));
    expect(await row(messageId)).toMatchObject({ body: `v${MAX_REVISIONS + 3}` });
  });

  it('rebuilds identical rows from the log in one run, where a message is posted, edited and deleted in the same group', async () => {
    const { messageId } = await post('short-lived');
    await edit(messageId, 'shorter-lived');
    await remove(messageId);
    const kept = (await post('kept')).messageId;
    await edit(kept, 'kept, edited');
    const before = await tableRows(t.db, 'messages', 'id');
    expect(before.length).toBeGreaterThanOrEqual(5);
    await t.projections.reset();
    expect(await tableRows(t.db, 'messages', 'id')).toEqual([]);
    await t.projections.catchUp();
    expect(await tableRows(t.db, 'messages', 'id')).toEqual(before);
    expect(await row(messageId)).toMatchObject({ body: '', deletedAt: expect.any(Number) });
    expect(await row(kept)).toMatchObject({ body: 'kept, edited', editedAt: expect.any(Number), deletedAt: null });
  });
});
