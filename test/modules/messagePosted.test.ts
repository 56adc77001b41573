/** MessagePosted: its rule, its upcaster and its steps in the messages and threads read models, as given/when/then. */
import { describe, expect, it } from 'vitest';
import { upcast } from '../../src/modules/index.ts';
import { decidePostMessage, type PostMessageFacts } from '../../src/modules/messagePosted.ts';
import { evolveMessages } from '../../src/projections/messagesProjection.ts';
import { evolveThreads } from '../../src/projections/threadsProjection.ts';
import { ana, otherThreadId, recorded, threadId } from './given.ts';

const messageId = 'f0000000-0000-4000-8000-00000000000f';
const repliedId = 'f1000000-0000-4000-8000-00000000000f';
const threadExists: PostMessageFacts = { threadExists: true, replyToThreadId: null };

describe('decidePostMessage', () => {
  it('given an existing thread, when ana posts, then one plain MessagePosted is appended to it, expecting the stream to exist', () => {
    expect(decidePostMessage({ threadId, body: ' Noon? ' }, threadExists, ana, messageId)).toMatchObject({
      streamId: `thread-${threadId}`,
      expectedVersion: 'stream_exists',
      events: [{ type: 'MessagePosted', schemaVersion: 3, data: { messageId, threadId, body: 'Noon?', replyToId: null, format: 'plain' }, erasable: { key: `message:${messageId}`, fields: ['body'] } }],
    });
  });

  it('given no such thread, when posting, then it is NOT_FOUND', () => {
    expect(() => decidePostMessage({ threadId, body: 'Hi' }, { threadExists: false, replyToThreadId: null }, ana, messageId)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('given a reply to a message that does not exist, or is in another thread, when posting, then it is NOT_FOUND or BAD_USER_INPUT', () => {
    expect(() => decidePostMessage({ threadId, body: 'Yes', replyToId: repliedId }, threadExists, ana, messageId)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decidePostMessage({ threadId, body: 'Yes', replyToId: repliedId }, { threadExists: true, replyToThreadId: otherThreadId }, ana, messageId)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
  });

  it('given a reply to a message of the same thread, when posting, then the event names it', () => {
    const append = decidePostMessage({ threadId, body: 'Yes', replyToId: repliedId }, { threadExists: true, replyToThreadId: threadId }, ana, messageId);
    expect(append.events[0]?.data).toMatchObject({ replyToId: repliedId });
  });

  it('given a body over 4000 characters or with control characters, when posting, then it is BAD_USER_INPUT', () => {
    for (const body of ['x'.repeat(4001), 'bell\u0007']) {
      expect(() => decidePostMessage({ threadId, body }, threadExists, ana, messageId)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });
});

describe('MessagePosted in the read models', () => {
  it('given a MessagePosted, when evolved, then a message row holds it and its thread counts one more, active when it was posted', () => {
    const event = recorded('MessagePosted', { messageId, threadId, body: 'Noon?', replyToId: null, format: 'plain' }, { schemaVersion: 2 });
    expect([...evolveMessages([event]).posted.values()]).toEqual([
      { id: messageId, threadId, authorId: ana.userId, body: 'Noon?', postedAt: event.recordedAt, position: event.position, replyToId: null, format: 'plain', editedAt: null, deletedAt: null },
    ]);
    expect(evolveThreads([event]).patched.get(threadId)).toEqual({ position: event.position, addedMessages: 1, lastActivityAt: event.recordedAt });
  });

  it('given a thread created and posted to in one run, when evolved, then the new row already counts the messages', () => {
    const created = recorded('ThreadCreated', { threadId, title: 'T' });
    const posts = [1, 2, 3].map((n) => recorded('MessagePosted', { messageId: `${n}`, threadId, body: `${n}`, replyToId: null, format: 'plain' }, { schemaVersion: 2 }));
    expect(evolveThreads([created, ...posts]).created.get(threadId)).toMatchObject({ messageCount: 3, position: posts[2]!.position, lastActivityAt: posts[2]!.recordedAt });
  });
});

describe('MessagePosted v1 and v2', () => {
  it('given a v1 event, stored before messages had a format, when it leaves the store, then it reads as v3 with format plain', () => {
    const v1 = recorded('MessagePosted', { messageId, threadId, body: 'old', replyToId: null });
    expect(upcast(v1)).toEqual({ ...v1, schemaVersion: 3, data: { ...v1.data, format: 'plain' } });
  });

  it('given a v2 event, whose body sits in the hashed data, when upcast, then it reads as v3 with the same data', () => {
    const v2 = recorded('MessagePosted', { messageId, threadId, body: 'new', replyToId: null, format: 'plain' }, { schemaVersion: 2 });
    expect(upcast(v2)).toEqual({ ...v2, schemaVersion: 3 });
  });

  it('given a v3 event or an unknown type, when upcast, then it is returned as it is', () => {
    const v3 = recorded('MessagePosted', { messageId, threadId, body: 'new', replyToId: null, format: 'plain' }, { schemaVersion: 3 });
    const unknown = recorded('SomethingNew', { threadId });
    expect(upcast(v3)).toBe(v3);
    expect(upcast(unknown)).toBe(unknown);
  });
});
