/** The search read model's fold, given events, then the SQL it writes: pure, no database. */
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/events/types.ts';
import { evolveSearch, searchProjection } from '../../src/search/searchProjection.ts';

let position = 100;
const event = (type: string, data: Record<string, unknown>): StoredEvent => ({
  position: ++position,
  eventId: `e${position}`,
  streamId: 'thread:t1',
  streamVersion: position,
  type,
  schemaVersion: type === 'MessagePosted' ? 4 : 1,
  data,
  metadata: { actorId: 'u1', correlationId: 'c', causationId: null },
  recordedAt: 1_700_000_000_000 + position,
  hash: '',
});
const posted = (messageId: string, body: string) => event('MessagePosted', { messageId, threadId: 't1', body, replyToId: null, format: 'plain', attachments: [] });
const edited = (messageId: string, body: string) => event('MessageEdited', { messageId, threadId: 't1', body });
const deleted = (messageId: string) => event('MessageDeleted', { messageId, threadId: 't1', reason: null, erases: `message:${messageId}` });

describe('the search read model', () => {
  it('given a post then an edit in one run, indexes the edited text once, at the post position', () => {
    const post = posted('m1', 'first text');
    const changes = evolveSearch([post, edited('m1', 'second text')]);
    expect([...changes.posted.values()]).toEqual([{ messageId: 'm1', threadId: 't1', authorId: 'u1', position: post.position, body: 'second text' }]);
    expect(changes.earlier).toEqual([]);
  });

  it('given a post and its deletion in one run, writes nothing', () => {
    expect(searchProjection.statements([posted('m2', 'gone soon'), deleted('m2')])).toEqual([]);
  });

  it('given an edit and a deletion of an earlier message, updates then deletes its row found by the message position', () => {
    const statements = searchProjection.statements([edited('m0', 'new words'), deleted('m0')]);
    expect(statements).toEqual([
      { sql: 'UPDATE message_search SET body = ? WHERE rowid = (SELECT position FROM messages WHERE id = ?)', params: ['new words', 'm0'] },
      { sql: 'DELETE FROM message_search WHERE rowid = (SELECT position FROM messages WHERE id = ?)', params: ['m0'] },
    ]);
  });

  it('writes into the table it is given (a rebuild shadow table)', () => {
    const [insert] = searchProjection.statements([posted('m3', 'hello')], 'message_search_rebuild');
    expect(insert?.sql).toMatch(/^INSERT INTO message_search_rebuild \(rowid, message_id, thread_id, author_id, body\)/);
  });
});
