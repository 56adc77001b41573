/**
 * The web client's pure rules for changes to messages after they are posted:
 * revisions applied in log order and never backwards, deletion final and
 * followed by the replies that quote it, `reactedByMe` kept for the viewer,
 * the names under a reaction, and the picker's recent emoji.
 */
import { describe, expect, it } from 'vitest';
import type { Message, ReactionGroup } from '../../web/src/api/decode.ts';
import { addMessages, emptyMessageLog, reactionsForViewer, reviseMessage, tombstone } from '../../web/src/thread/messageLog.ts';
import { commonEmoji, pickerEmoji, rememberEmoji } from '../../web/src/thread/recentEmoji.ts';
import { whoReacted } from '../../web/src/thread/whoReacted.ts';

const ada = { id: 'u-ada', username: 'ada', displayName: 'Ada' };
const bob = { id: 'u-bob', username: 'bob', displayName: 'Bob' };

function message(position: number, changes: Partial<Message> = {}): Message {
  return {
    id: `m-${position}`,
    body: `m${position}`,
    postedAt: new Date(position * 1000).toISOString(),
    position: String(position),
    author: ada,
    replyTo: null,
    editedAt: null,
    deletedAt: null,
    reactions: [],
    ...changes,
  };
}

function group(emoji: string, users: (typeof ada)[], reactedByMe = false): ReactionGroup {
  return { emoji, count: users.length, reactedByMe, users };
}

const edited = (at: number, body: string) => message(1, { body, editedAt: new Date(at * 1000).toISOString() });

describe('revising a message in the log', () => {
  it('replaces the message in place and keeps the order', () => {
    const log = addMessages(emptyMessageLog, [message(1), message(2)]);
    const next = reviseMessage(log, edited(10, 'fixed'), '10');
    expect(next.messages.map((m) => m.body)).toEqual(['fixed', 'm2']);
    expect(next.messages[0]?.editedAt).not.toBeNull();
  });

  it('drops a revision at or before one already applied, so a late mutation answer cannot undo a newer live event', () => {
    let log = addMessages(emptyMessageLog, [message(1)]);
    log = reviseMessage(log, message(1, { reactions: [group('👍', [ada, bob])] }), '12');
    const stale = reviseMessage(log, message(1, { reactions: [group('👍', [ada])] }), '11');
    expect(stale).toBe(log);
    expect(reviseMessage(log, message(1, { reactions: [group('👍', [ada])] }), '12')).toBe(log);
    expect(reviseMessage(log, message(1, { reactions: [] }), '13').messages[0]?.reactions).toEqual([]);
  });

  it('never brings a deleted message back, whatever position the older state comes with', () => {
    let log = addMessages(emptyMessageLog, [message(1)]);
    log = reviseMessage(log, tombstone(message(1), new Date(20_000).toISOString()), null);
    expect(log.messages[0]).toMatchObject({ body: '', reactions: [] });
    expect(reviseMessage(log, edited(15, 'resurrected'), '99')).toBe(log);
  });

  it('keeps the newest edit when an older one is replayed over the loaded page', () => {
    const log = addMessages(emptyMessageLog, [edited(30, 'second edit')]);
    expect(reviseMessage(log, edited(20, 'first edit'), '20')).toBe(log);
    expect(reviseMessage(log, message(1), '21')).toBe(log);
    expect(reviseMessage(log, edited(40, 'third edit'), '40').messages[0]?.body).toBe('third edit');
  });

  it('updates the quote in every reply when the quoted message is edited or deleted, even when it is older than the page', () => {
    const quoted = { id: 'm-1', body: 'm1', deletedAt: null, author: ada };
    const reply = message(2, { author: bob, replyTo: quoted });
    const log = addMessages(emptyMessageLog, [reply]);
    const afterEdit = reviseMessage(log, edited(10, 'fixed'), '10');
    expect(afterEdit.messages[0]?.replyTo).toMatchObject({ body: 'fixed', deletedAt: null });
    const afterDelete = reviseMessage(afterEdit, tombstone(message(1), new Date(11_000).toISOString()), '11');
    expect(afterDelete.messages[0]?.replyTo).toMatchObject({ id: 'm-1', body: '' });
    expect(afterDelete.messages[0]?.replyTo?.deletedAt).not.toBeNull();
    // A deleted quote stays deleted.
    expect(reviseMessage(afterDelete, edited(12, 'back?'), '12')).toBe(afterDelete);
  });

  it('ignores a revision of a message it does not hold when nothing quotes it', () => {
    const log = addMessages(emptyMessageLog, [message(2)]);
    expect(reviseMessage(log, edited(10, 'elsewhere'), '10')).toBe(log);
  });

  it('keeps every message once when a revision and the same message arrive again', () => {
    let log = addMessages(emptyMessageLog, [message(1), message(2)]);
    log = reviseMessage(log, edited(10, 'fixed'), '10');
    log = addMessages(log, [message(1)]);
    expect(log.messages.map((m) => m.body)).toEqual(['fixed', 'm2']);
  });
});

describe('reactedByMe as the viewer knows it', () => {
  it('follows the change when it is the viewer’s own', () => {
    const incoming = [group('👍', [ada, bob], false)];
    expect(reactionsForViewer(incoming, [], { emoji: '👍', userId: ada.id, added: true }, ada.id)[0]?.reactedByMe).toBe(true);
    expect(reactionsForViewer([group('👍', [bob], true)], [group('👍', [ada, bob], true)], { emoji: '👍', userId: ada.id, added: false }, ada.id)[0]?.reactedByMe).toBe(false);
  });

  it('is not changed by someone else’s reaction, whatever the delivery says', () => {
    // The delivery was resolved for Bob, who reacted: the group is his, not Ada's.
    const incoming = [group('👍', [bob], true), group('🎉', [ada, bob], true)];
    const known = [group('🎉', [ada], true)];
    const seen = reactionsForViewer(incoming, known, { emoji: '👍', userId: bob.id, added: true }, ada.id);
    expect(seen.map((g) => [g.emoji, g.reactedByMe])).toEqual([
      ['👍', false],
      ['🎉', true],
    ]);
  });
});

describe('who reacted', () => {
  it('names the viewer first as "You", then the others, and counts the ones not listed', () => {
    expect(whoReacted(group('👍', [ada], true), ada.id)).toBe('You');
    expect(whoReacted(group('👍', [bob, ada], true), ada.id)).toBe('You and Bob');
    expect(whoReacted({ emoji: '👍', count: 13, reactedByMe: false, users: [bob] }, ada.id)).toBe('Bob and 12 others');
    expect(whoReacted({ emoji: '👍', count: 2, reactedByMe: true, users: [ada] }, ada.id)).toBe('You and 1 other');
  });
});

describe('the reaction picker', () => {
  it('offers the recent emoji first, most recent first, then the common ones, each once', () => {
    let recent: readonly string[] = [];
    recent = rememberEmoji(recent, '🦄');
    recent = rememberEmoji(recent, '👍');
    recent = rememberEmoji(recent, '🦄');
    expect(recent).toEqual(['🦄', '👍']);
    const offered = pickerEmoji(recent);
    expect(offered.slice(0, 2)).toEqual(['🦄', '👍']);
    expect(new Set(offered).size).toBe(offered.length);
    expect(offered).toEqual(expect.arrayContaining([...commonEmoji]));
  });

  it('keeps at most eight recent emoji', () => {
    const many = ['🍎', '🍐', '🍊', '🍋', '🍌', '🍉', '🍇', '🍓', '🫐', '🍒'];
    const recent = many.reduce<readonly string[]>(rememberEmoji, []);
    expect(recent).toEqual([...many].reverse().slice(0, 8));
  });
});
