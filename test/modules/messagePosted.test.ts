/** MessagePosted: its rule, its upcasters and its steps in the messages and threads read models, as given/when/then. */
import { describe, expect, it } from 'vitest';
import type { AttachmentData } from '../../src/attachments/attachmentTypes.ts';
import type { Recorded } from '../../src/modules/eventModule.ts';
import { upcast } from '../../src/modules/index.ts';
import { decidePostMessage, messageOf, type MessagePostedData, type PostMessageFacts } from '../../src/modules/messagePosted.ts';
import { evolveMessages } from '../../src/projections/messagesProjection.ts';
import { evolveThreads } from '../../src/projections/threadsProjection.ts';
import { ana, otherThreadId, recorded, threadId } from './given.ts';

const messageId = 'f0000000-0000-4000-8000-00000000000f';
const repliedId = 'f1000000-0000-4000-8000-00000000000f';
const threadExists: PostMessageFacts = { threadExists: true, replyToThreadId: null };

describe('decidePostMessage', () => {
  it('given an existing thread, when ana posts, then one markdown MessagePosted with no attachments is appended to it, its text and attachments erasable', () => {
    expect(decidePostMessage({ threadId, body: ' Noon? ' }, threadExists, ana, messageId)).toMatchObject({
      streamId: `thread-${threadId}`,
      expectedVersion: 'stream_exists',
      events: [
        {
          type: 'MessagePosted',
          schemaVersion: 4,
          data: { messageId, threadId, body: 'Noon?', replyToId: null, format: 'markdown', attachments: [] },
          erasable: { key: `message:${messageId}`, fields: ['body', 'attachments'] },
        },
      ],
    });
  });

  it('given format plain (or null), when posting, then the event is plain (or markdown)', () => {
    expect(decidePostMessage({ threadId, body: 'Hi', format: 'plain' }, threadExists, ana, messageId).events[0]?.data).toMatchObject({ format: 'plain' });
    expect(decidePostMessage({ threadId, body: 'Hi', format: null }, threadExists, ana, messageId).events[0]?.data).toMatchObject({ format: 'markdown' });
  });

  it('given shortcodes, when posting, then they are emoji, except in code for markdown, and the length counts the emoji', () => {
    const body = (input: { body: string; format?: 'plain' | 'markdown' }) => decidePostMessage({ threadId, ...input }, threadExists, ana, messageId).events[0]?.data.body;
    expect(body({ body: ':tada: `:tada:` :nope:' })).toBe('🎉 `:tada:` :nope:');
    expect(body({ body: ':tada: `:tada:` :nope:', format: 'plain' })).toBe('🎉 `🎉` :nope:');
    expect(body({ body: ':tada:'.repeat(4000) })).toBe('🎉'.repeat(4000));
    expect(() => body({ body: ':tada:'.repeat(4001) })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('given attachments claimed, when posting, then the event holds them in order, and the body may be blank', () => {
    const ids = ['a1000000-0000-4000-8000-000000000001', 'a2000000-0000-4000-8000-000000000002'];
    const attachments = ids.map((id): AttachmentData => ({ id, sha256: 'f'.repeat(64), contentType: 'image/png', byteSize: 3, name: null, alt: null, width: 1, height: 1, thumbnail: null }));
    const append = decidePostMessage({ threadId, body: ' \u200b ', attachmentIds: ids }, { ...threadExists, attachments }, ana, messageId);
    expect(append.events[0]?.data).toMatchObject({ body: '', attachments });
    expect(() => decidePostMessage({ threadId, body: ' ' }, threadExists, ana, messageId)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('given more than 10, repeated or malformed attachmentIds, when posting, then it is BAD_USER_INPUT naming attachmentIds', () => {
    const id = (n: number) => `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const eleven = Array.from({ length: 11 }, (_, n) => id(n));
    for (const attachmentIds of [eleven, [id(1), id(1).toUpperCase()], ['nope']]) {
      expect(() => decidePostMessage({ threadId, body: 'Hi', attachmentIds }, threadExists, ana, messageId)).toThrow(
        expect.objectContaining({ code: 'BAD_USER_INPUT', details: expect.objectContaining({ field: 'attachmentIds' }) }),
      );
    }
  });

  it('given an idempotency key, when posting, then its request hash covers the format and the attachmentIds', () => {
    const hash = (input: { format?: 'plain'; attachmentIds?: string[] }, attachments: AttachmentData[] = []) =>
      decidePostMessage({ threadId, body: 'Hi', idempotencyKey: 'k', ...input }, { ...threadExists, attachments }, ana, messageId).requestHash;
    const upload = { id: 'a1000000-0000-4000-8000-000000000001', sha256: 'f'.repeat(64), contentType: 'text/plain', byteSize: 1, name: 'a.txt', alt: null, width: null, height: null, thumbnail: null };
    expect(new Set([hash({}), hash({ format: 'plain' }), hash({ attachmentIds: [upload.id] }, [upload])]).size).toBe(3);
    expect(hash({})).toBe(hash({}));
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
    const event = upcast(recorded('MessagePosted', { messageId, threadId, body: 'Noon?', replyToId: null, format: 'plain' }, { schemaVersion: 2 }));
    expect([...evolveMessages([event]).posted.values()]).toEqual([
      { id: messageId, threadId, authorId: ana.userId, body: 'Noon?', postedAt: event.recordedAt, position: event.position, replyToId: null, format: 'plain', editedAt: null, deletedAt: null, attachments: [] },
    ]);
    expect(evolveThreads([event]).patched.get(threadId)).toEqual({ position: event.position, addedMessages: 1, lastActivityAt: event.recordedAt });
  });

  it('given a thread created and posted to in one run, when evolved, then the new row already counts the messages', () => {
    const created = recorded('ThreadCreated', { threadId, title: 'T' });
    const posts = [1, 2, 3].map((n) => recorded('MessagePosted', { messageId: `${n}`, threadId, body: `${n}`, replyToId: null, format: 'plain' }, { schemaVersion: 2 }));
    expect(evolveThreads([created, ...posts]).created.get(threadId)).toMatchObject({ messageCount: 3, position: posts[2]!.position, lastActivityAt: posts[2]!.recordedAt });
  });
});

describe('MessagePosted v1, v2 and v3', () => {
  it('given a v1 event, stored before messages had a format, when it leaves the store, then it reads as v4 with format plain and no attachments', () => {
    const v1 = recorded('MessagePosted', { messageId, threadId, body: 'old', replyToId: null });
    expect(upcast(v1)).toEqual({ ...v1, schemaVersion: 4, data: { ...v1.data, format: 'plain', attachments: [] } });
  });

  it('given a v2 event, whose body sits in the hashed data, when upcast, then it reads as v4 with the same data and no attachments', () => {
    const v2 = recorded('MessagePosted', { messageId, threadId, body: 'new', replyToId: null, format: 'plain' }, { schemaVersion: 2 });
    expect(upcast(v2)).toEqual({ ...v2, schemaVersion: 4, data: { ...v2.data, attachments: [] } });
  });

  it('given a v3 event (only its body erasable), when upcast, then it reads as v4 with no attachments', () => {
    const v3 = recorded('MessagePosted', { messageId, threadId, body: 'new', replyToId: null, format: 'plain' }, { schemaVersion: 3 });
    expect(upcast(v3)).toEqual({ ...v3, schemaVersion: 4, data: { ...v3.data, attachments: [] } });
  });

  it('given a v4 event or an unknown type, when upcast, then it is returned as it is', () => {
    const v4 = recorded('MessagePosted', { messageId, threadId, body: 'new', replyToId: null, format: 'markdown', attachments: [] }, { schemaVersion: 4 });
    const unknown = recorded('SomethingNew', { threadId });
    expect(upcast(v4)).toBe(v4);
    expect(upcast(unknown)).toBe(unknown);
  });

  it('given a v4 event whose content is erased (body and attachments read as \'\'), when folded to a row, then it has no attachments', () => {
    const erased = recorded('MessagePosted', { messageId, threadId, body: '', replyToId: null, format: 'markdown', attachments: '' }, { schemaVersion: 4 });
    expect(messageOf(erased as unknown as Recorded<'MessagePosted', MessagePostedData>)).toMatchObject({ body: '', attachments: [] });
  });
});
