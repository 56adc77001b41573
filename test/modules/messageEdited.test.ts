/** MessageEdited: its rule and its step in the messages read model, as given/when/then. */
import { describe, expect, it } from 'vitest';
import { decideEditMessage, editedMessage, type EditMessageFacts } from '../../src/modules/messageEdited.ts';
import type { MessageRow } from '../../src/projections/messagesProjection.ts';
import { evolveMessages } from '../../src/projections/messagesProjection.ts';
import { ana, bob, recorded, threadId } from './given.ts';

const messageId = 'e0000000-0000-4000-8000-00000000000e';

const aMessage = (row: Partial<MessageRow> = {}): MessageRow => ({
  id: messageId,
  threadId,
  authorId: ana.userId,
  body: 'Noon?',
  postedAt: 1_700_000_000_000,
  position: 7,
  replyToId: null,
  format: 'plain',
  editedAt: null,
  deletedAt: null,
  ...row,
});
const facts = (row: Partial<MessageRow> = {}): EditMessageFacts => ({ message: aMessage(row) });

describe('decideEditMessage', () => {
  it('given a message ana posted, when ana edits it, then one erasable MessageEdited with the trimmed text is appended to its thread', () => {
    expect(decideEditMessage({ messageId, body: '  Noon, then. ' }, facts(), ana)).toMatchObject({
      streamId: `thread-${threadId}`,
      expectedVersion: 'stream_exists',
      metadata: { actorId: ana.userId },
      events: [{ type: 'MessageEdited', schemaVersion: 1, data: { messageId, threadId, body: 'Noon, then.' }, erasable: { key: `message:${messageId}`, fields: ['body'] } }],
    });
  });

  it('given a message ana posted, when bob edits it, then it is FORBIDDEN', () => {
    expect(() => decideEditMessage({ messageId, body: 'Mine now' }, facts(), bob)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('given no such message, or a deleted one, when its author edits it, then it is NOT_FOUND', () => {
    expect(() => decideEditMessage({ messageId, body: 'Hello?' }, { message: null }, ana)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decideEditMessage({ messageId, body: 'Back' }, facts({ body: '', deletedAt: 1_700_000_100_000 }), ana)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('given a body that breaks the posting rules or a bad id, when editing, then it is BAD_USER_INPUT before anything else is checked', () => {
    for (const body of ['   ', 'x'.repeat(4001), 'bell\u0007']) {
      expect(() => decideEditMessage({ messageId, body }, { message: null }, bob)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
    expect(() => decideEditMessage({ messageId: 'nope', body: 'Fine' }, facts(), ana)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('given the text is already that (after trimming and NFC), when editing, then nothing is appended', () => {
    expect(decideEditMessage({ messageId, body: ' Noon? ' }, facts(), ana)).toBeNull();
    expect(decideEditMessage({ messageId, body: 'Cafe\u0301' }, facts({ body: 'Café' }), ana)).toBeNull();
  });

  it('given an idempotency key, when editing, then the key is scoped to the user and bound to this text', () => {
    const once = decideEditMessage({ messageId, body: 'One', idempotencyKey: 'k1' }, facts(), ana);
    const other = decideEditMessage({ messageId, body: 'Two', idempotencyKey: 'k1' }, facts(), ana);
    expect(once?.idempotencyKey).toBe(`${ana.userId}:k1`);
    expect(once?.requestHash).not.toBe(other?.requestHash);
  });

  it('given a markdown message, when edited with shortcodes, then they become emoji outside code, and the message keeps its format', () => {
    const append = decideEditMessage({ messageId, body: ':tada: `:tada:`\n```\n:tada:\n```' }, facts({ format: 'markdown' }), ana);
    expect(append?.events[0]?.data).toEqual({ messageId, threadId, body: '🎉 `:tada:`\n```\n:tada:\n```' });
  });

  it('given a plain message, when edited with shortcodes, then all of them become emoji, code or not', () => {
    expect(decideEditMessage({ messageId, body: ':+1: `:-1:`' }, facts({ format: 'plain' }), ana)?.events[0]?.data).toMatchObject({ body: '👍 `👎`' });
  });

  it('given a message whose text is the emoji, when edited with its shortcode, then the text is already that and nothing is appended', () => {
    expect(decideEditMessage({ messageId, body: 'Done :tada:' }, facts({ body: 'Done 🎉', format: 'markdown' }), ana)).toBeNull();
  });
});

describe('the messages read model, evolved by MessageEdited', () => {
  it('given a message posted before, when it is edited twice, then one patch sets the last text and the last edit time', () => {
    const first = recorded('MessageEdited', { messageId, threadId, body: 'Two' });
    const second = recorded('MessageEdited', { messageId, threadId, body: 'Three' });
    const changes = evolveMessages([first, second]);
    expect(changes.posted.size).toBe(0);
    expect(changes.patched.get(messageId)).toEqual({ body: 'Three', editedAt: second.recordedAt });
  });

  it('given a message posted in the same run, when it is edited, then the new row already holds the edit', () => {
    const posted = recorded('MessagePosted', { messageId, threadId, body: 'One', replyToId: null, format: 'plain' }, { schemaVersion: 3 });
    const edited = recorded('MessageEdited', { messageId, threadId, body: 'Two' });
    expect(evolveMessages([posted, edited]).posted.get(messageId)).toMatchObject({ body: 'Two', editedAt: edited.recordedAt, postedAt: posted.recordedAt, position: posted.position });
  });

  it('given a row and an edit, when the message as the edit left it is asked for, then it has the edit, unless it is a tombstone by now', () => {
    expect(editedMessage(aMessage(), { body: 'New', recordedAt: 5 })).toMatchObject({ body: 'New', editedAt: 5 });
    const tombstone = aMessage({ body: '', deletedAt: 9 });
    expect(editedMessage(tombstone, { body: 'New', recordedAt: 5 })).toBe(tombstone);
    expect(editedMessage(aMessage(), { body: '', recordedAt: 5, erased: true })).toEqual(aMessage());
  });
});
