/** MessageDeleted: who may delete, the reason's rules, and the tombstone it leaves in the messages read model, as given/when/then. */
import { describe, expect, it } from 'vitest';
import { decideDeleteMessage, type DeleteMessageFacts, deleteReason, tombstoneOf } from '../../src/modules/messageDeleted.ts';
import { evolveReadModel } from '../../src/modules/index.ts';
import { evolveMessages, type MessageRow } from '../../src/projections/messagesProjection.ts';
import { ReactionChanges } from '../../src/projections/reactionsProjection.ts';
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
const facts = (role: DeleteMessageFacts['role'] = 'MEMBER', row: Partial<MessageRow> = {}): DeleteMessageFacts => ({ message: aMessage(row), role });

describe('decideDeleteMessage', () => {
  it('given a message ana posted, when ana deletes it, then one MessageDeleted erasing its content key is appended to its thread', () => {
    expect(decideDeleteMessage({ messageId, reason: '  typo ' }, facts(), ana)).toEqual({
      streamId: `thread-${threadId}`,
      expectedVersion: 'stream_exists',
      metadata: { actorId: ana.userId, correlationId: ana.correlationId, causationId: null },
      events: [{ type: 'MessageDeleted', schemaVersion: 1, data: { messageId, threadId, reason: 'typo', erases: `message:${messageId}` } }],
    });
  });

  it('given a message ana posted, when bob deletes it, then it is FORBIDDEN for a member and allowed for a moderator or an admin', () => {
    expect(() => decideDeleteMessage({ messageId }, facts('MEMBER'), bob)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    for (const role of ['MODERATOR', 'ADMIN'] as const) {
      expect(decideDeleteMessage({ messageId }, facts(role), bob).metadata.actorId).toBe(bob.userId);
    }
  });

  it('given no such message, or one already deleted, when deleting, then it is NOT_FOUND whoever asks', () => {
    expect(() => decideDeleteMessage({ messageId }, { message: null, role: 'ADMIN' }, ana)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decideDeleteMessage({ messageId }, facts('ADMIN', { body: '', deletedAt: 5 }), ana)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('given a bad id or reason, when deleting, then it is BAD_USER_INPUT', () => {
    expect(() => decideDeleteMessage({ messageId: 'x' }, facts(), ana)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => decideDeleteMessage({ messageId, reason: 'r'.repeat(501) }, facts(), ana)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('deleteReason', () => {
  it('trims, normalises to NFC, and reads blank or absent as no reason', () => {
    expect(deleteReason('  spam ')).toBe('spam');
    expect(deleteReason('Cafe\u0301')).toBe('Café');
    expect(deleteReason('   ')).toBeNull();
    expect(deleteReason(undefined)).toBeNull();
    expect(deleteReason(null)).toBeNull();
    expect(deleteReason('é'.repeat(500))).toHaveLength(500);
  });

  it('refuses more than 500 characters, line breaks, control and bidi override characters and lone surrogates, naming the field', () => {
    for (const reason of ['x'.repeat(501), 'two\nlines', 'bell\u0007', 'evil\u202Etxt', 'half \ud83d']) {
      expect(() => deleteReason(reason)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: expect.objectContaining({ field: 'reason' }) }));
    }
  });
});

describe('the messages read model, evolved by MessageDeleted', () => {
  it('given a message posted, edited twice and deleted in one run, then the new row is a tombstone that keeps its place and its last edit time', () => {
    const posted = recorded('MessagePosted', { messageId, threadId, body: 'One', replyToId: null, format: 'plain' }, { schemaVersion: 3 });
    const edited = recorded('MessageEdited', { messageId, threadId, body: 'Two' });
    const again = recorded('MessageEdited', { messageId, threadId, body: 'Three' });
    const deleted = recorded('MessageDeleted', { messageId, threadId, reason: null, erases: `message:${messageId}` });
    expect(evolveMessages([posted, edited, again, deleted]).posted.get(messageId)).toEqual({
      id: messageId,
      threadId,
      authorId: ana.userId,
      body: '',
      postedAt: posted.recordedAt,
      position: posted.position,
      replyToId: null,
      format: 'plain',
      editedAt: again.recordedAt,
      deletedAt: deleted.recordedAt,
      attachments: [],
    });
  });

  it('given a message posted before, when it is edited and deleted, then one patch empties the body and sets both times; nothing after a deletion changes it', () => {
    const edited = recorded('MessageEdited', { messageId, threadId, body: 'Two' });
    const deleted = recorded('MessageDeleted', { messageId, threadId, reason: 'spam', erases: `message:${messageId}` });
    const late = recorded('MessageEdited', { messageId, threadId, body: 'Zombie' });
    expect(evolveMessages([edited, deleted, late]).patched.get(messageId)).toEqual({ body: '', editedAt: edited.recordedAt, deletedAt: deleted.recordedAt });
  });

  it('given a MessageDeleted, when the reactions read model is evolved, then the message\'s reactions are cleared', () => {
    const deleted = recorded('MessageDeleted', { messageId, threadId, reason: null, erases: `message:${messageId}` });
    expect(evolveReadModel('reactions', new ReactionChanges(), [deleted]).changes).toEqual([{ kind: 'clear', messageId }]);
  });

  it('given a row, when its tombstone is made, then the text and revisions are gone and the first deletion time stays', () => {
    expect(tombstoneOf(aMessage({ editedAt: 3 }), 10)).toEqual({ ...aMessage({ editedAt: 3 }), body: '', deletedAt: 10, revisions: [] });
    expect(tombstoneOf(aMessage({ body: '', deletedAt: 8 }), 10).deletedAt).toBe(8);
  });
});
