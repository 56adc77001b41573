/** Which names a message's text mentions (mentionsParser.ts), and the mention steps of the message events, as given/when/then. */
import { describe, expect, it } from 'vitest';
import { markdownParts, mentionedUsernames } from '../../src/projections/mentionsParser.ts';
import { evolveMentions } from '../../src/projections/mentionsProjection.ts';
import type { StoredEvent } from '../../src/events/types.ts';

describe('mentionedUsernames', () => {
  it('given @names in prose, when parsed, then each is found once, lower-cased, in the order first mentioned', () => {
    expect(mentionedUsernames('@Ana and @bob_2, then @ANA again (@cy_)')).toEqual(['ana', 'bob_2', 'cy_']);
  });

  it('given names at the start, end and before punctuation, when parsed, then all count', () => {
    expect(mentionedUsernames('@ana: hi @bob. and @cat!\n@dan')).toEqual(['ana', 'bob', 'cat', 'dan']);
  });

  it('given names shorter than 3 or longer than 32 characters, when parsed, then they mention nobody', () => {
    expect(mentionedUsernames(`@al @${'x'.repeat(33)} @${'y'.repeat(32)}`)).toEqual(['y'.repeat(32)]);
  });

  it('given an email address, when parsed, then neither its local part nor its domain is a mention', () => {
    expect(mentionedUsernames('write to ana@example.com or @bob@example.com, or me at first.last+tag@host.org; @cat.com is a domain')).toEqual([]);
  });

  it('given a link whose path holds an @name, when parsed, then it is no mention', () => {
    expect(mentionedUsernames('see https://example.com/@ana/posts and @bob')).toEqual(['bob']);
  });

  it('given code spans, when parsed, then names inside them are not mentions but names beside them are', () => {
    expect(mentionedUsernames('run `@ana deploy` then ``tell @bob ` here`` and ping @cat')).toEqual(['cat']);
  });

  it('given an unmatched backtick, when parsed, then it is literal text and the name after it counts', () => {
    expect(mentionedUsernames('a stray ` and @ana')).toEqual(['ana']);
  });

  it('given a fenced code block, when parsed, then names inside it are ignored, and an unclosed fence runs to the end', () => {
    expect(mentionedUsernames('@ana look:\n```ts\nconst x = "@bob";\n```\nthanks @cat\n~~~\n@dan\n')).toEqual(['ana', 'cat']);
    expect(mentionedUsernames('```\n@bob\n````\n@cat')).toEqual(['cat']);
  });

  it('given erased text (empty), when parsed, then nobody is mentioned', () => {
    expect(mentionedUsernames('')).toEqual([]);
  });

  it('given a name right after a code span or a fenced block, when parsed, then it still counts', () => {
    expect(mentionedUsernames('`x`@ana and\n```\ncode\n```\n@bob')).toEqual(['ana', 'bob']);
  });

  it('given a stray backtick before a blank line, when parsed, then the next paragraph is prose, not code', () => {
    expect(mentionedUsernames('a ` b\n\n@ana ` c')).toEqual(['ana']);
  });

  it('given ```x``` on one line, when parsed, then it is a code span, not a fence that swallows the rest', () => {
    expect(mentionedUsernames('```@bob``` @ana')).toEqual(['ana']);
  });

  it('given an escaped backtick, when parsed, then it opens no code span', () => {
    expect(mentionedUsernames('\\`@ana`')).toEqual(['ana']);
  });
});

describe('markdownParts', () => {
  it('given any text, when split, then the parts joined are the text again', () => {
    const texts = ['', 'plain', 'a `b` c', '```\nx\n```\ny', 'a\r\n```\r\nx\r\n```\r\n', '`unclosed', '~~~\nopen to the end', '\\``x``', 'p\n\n`q\n\nr`'];
    for (const text of texts) expect(markdownParts(text).map((part) => part.text).join(''), JSON.stringify(text)).toBe(text);
  });

  it('given spans and a fence, when split, then each is one code part in order', () => {
    expect(markdownParts('a `b` c\n```js\nx\n```\nd')).toEqual([
      { text: 'a ', code: false, block: false },
      { text: '`b`', code: true, block: false },
      { text: ' c\n', code: false, block: false },
      { text: '```js\nx\n```\n', code: true, block: true },
      { text: 'd', code: false, block: false },
    ]);
  });
});

const threadId = 'a0000000-0000-4000-8000-00000000000a';
const messageId = 'b0000000-0000-4000-8000-00000000000b';
const event = (position: number, type: string, data: Record<string, unknown>): StoredEvent =>
  ({ position, type, data, schemaVersion: type === 'MessagePosted' ? 3 : 1, streamId: `thread-${threadId}`, streamVersion: position, eventId: `e${position}`, metadata: { actorId: null, correlationId: 'test', causationId: null }, recordedAt: position }) as unknown as StoredEvent;

describe('the mentions steps', () => {
  it('given a post, an edit and a deletion, when folded, then the post derives, the edit derives again and the deletion clears', () => {
    const { changes } = evolveMentions([
      event(5, 'MessagePosted', { messageId, threadId, body: 'hi @ana', replyToId: null, format: 'plain' }),
      event(6, 'MessageEdited', { messageId, threadId, body: 'hi @bob' }),
      event(7, 'MessageDeleted', { messageId, threadId, reason: null, erases: `message:${messageId}` }),
    ]);
    expect(changes).toEqual([
      { kind: 'post', messageId, threadId, position: 5, names: ['ana'] },
      { kind: 'edit', messageId, at: 6, names: ['bob'] },
      { kind: 'clear', messageId },
    ]);
  });
});
