/**
 * Which answer an event asks of a bot (src/bots/triggers.ts), given/when/then:
 * a mention, a reply to the bot, a message in a thread it was invited to,
 * and an invitation each ask one; a bot's message, the bot's own, a deleted
 * one and anything from before the bot existed ask nothing.
 */
import { describe, expect, it } from 'vitest';
import { greetingFor } from '../../src/bots/greeting.ts';
import { replyText } from '../../src/bots/replyText.ts';
import { mightTrigger, type TriggerFacts, triggersFor } from '../../src/bots/triggers.ts';
import type { BotRow, CharacterCard } from '../../src/bots/types.ts';
import { ana, bob, recorded, threadId } from '../modules/given.ts';
import { testCard } from './support/testCard.ts';

const botId = 'e0000000-0000-4000-8000-00000000000e';
const otherBotId = 'f0000000-0000-4000-8000-00000000000f';

const card = (data: Partial<CharacterCard['data']> = {}): CharacterCard =>
  testCard({ description: '', personality: '', first_mes: 'Hello {{user}}, I am {{char}}.', creator: '', character_version: '', ...data });

/** The bot, added at position 50 (every event the builders make comes later). */
const bot: BotRow = { id: botId, username: 'pip', displayName: 'Pip', card: card(), addedAt: 0, position: 50, removedAt: null };

const none: TriggerFacts = { authorIsBot: false, repliedToAuthorId: null, invitedAt: null, deleted: false };

const posted = (body: string, options: { replyToId?: string | null; actorId?: string | null } = {}) =>
  recorded('MessagePosted', { messageId: `m-${body.length}`, threadId, body, replyToId: options.replyToId ?? null, format: 'markdown', attachments: [] }, options.actorId === undefined ? {} : { actorId: options.actorId });

describe('which messages call a bot', () => {
  it('a message that mentions @username asks for a reply to it, from its author', () => {
    const event = posted('hey @pip, what do you think?');
    expect(triggersFor(event, bot, none)).toMatchObject({ kind: 'reply', reason: 'mention', eventId: event.eventId, threadId, messageId: event.data.messageId, callerId: ana.userId });
  });

  it('a mention is matched case-insensitively, and not inside code', () => {
    expect(triggersFor(posted('Hi @PIP'), bot, none)).toMatchObject({ reason: 'mention' });
    expect(triggersFor(posted('run `@pip` in the shell'), bot, none)).toBeNull();
  });

  it('a reply to one of the bot’s messages asks for a reply', () => {
    expect(triggersFor(posted('and then?', { replyToId: 'm-1' }), bot, { ...none, repliedToAuthorId: botId })).toMatchObject({ kind: 'reply', reason: 'reply' });
  });

  it('a reply to someone else’s message asks nothing', () => {
    expect(triggersFor(posted('and then?', { replyToId: 'm-1' }), bot, { ...none, repliedToAuthorId: bob.userId })).toBeNull();
  });

  it('any message in a thread the bot was invited to asks for a reply, but not one from before the invitation', () => {
    const event = posted('good morning');
    expect(triggersFor(event, bot, { ...none, invitedAt: event.position - 1 })).toMatchObject({ reason: 'invited' });
    expect(triggersFor(event, bot, { ...none, invitedAt: event.position + 1 })).toBeNull();
  });

  it('a message that calls nobody asks nothing', () => {
    expect(triggersFor(posted('just chatting'), bot, none)).toBeNull();
  });
});

describe('what never calls a bot', () => {
  it('a message by a bot, even one that mentions this bot in an invited thread', () => {
    expect(triggersFor(posted('@pip hello', { actorId: otherBotId }), bot, { ...none, authorIsBot: true, invitedAt: 1 })).toBeNull();
  });

  it('the bot’s own message', () => {
    expect(triggersFor(posted('@pip talking to myself', { actorId: botId }), bot, { ...none, authorIsBot: true })).toBeNull();
  });

  it('a deleted message', () => {
    expect(triggersFor(posted('@pip hello'), bot, { ...none, deleted: true })).toBeNull();
  });

  it('a message at or before the bot’s BotAdded', () => {
    const event = posted('@pip from the past');
    expect(triggersFor(event, { ...bot, position: event.position }, none)).toBeNull();
  });

  it('a system message (no author), and a removed bot', () => {
    expect(triggersFor(posted('@pip', { actorId: null }), bot, none)).toBeNull();
    expect(triggersFor(posted('@pip'), { ...bot, removedAt: 1 }, none)).toBeNull();
  });

  it('events of other types', () => {
    expect(triggersFor(recorded('ThreadRenamed', { threadId, title: '@pip' }), bot, { ...none, invitedAt: 1 })).toBeNull();
  });
});

describe('invitations', () => {
  it('the invitation in force asks for a greeting, from whoever invited', () => {
    const event = recorded('BotInvited', { threadId, botId });
    expect(triggersFor(event, bot, { ...none, invitedAt: event.position })).toMatchObject({ kind: 'greet', eventId: event.eventId, threadId, callerId: ana.userId });
  });

  it('an invitation undone since, or made again later, or of another bot, asks nothing', () => {
    const event = recorded('BotInvited', { threadId, botId });
    expect(triggersFor(event, bot, none)).toBeNull();
    expect(triggersFor(event, bot, { ...none, invitedAt: event.position + 5 })).toBeNull();
    expect(triggersFor(recorded('BotInvited', { threadId, botId: otherBotId }), bot, { ...none, invitedAt: 1 })).toBeNull();
  });
});

describe('mightTrigger: the reads are skipped only when nothing could call the bot', () => {
  it('is false for a plain message in a thread the bot is not in, true for a mention or any reply', () => {
    expect(mightTrigger(posted('just chatting'), bot, null)).toBe(false);
    expect(mightTrigger(posted('@pip?'), bot, null)).toBe(true);
    expect(mightTrigger(posted('yes', { replyToId: 'm-1' }), bot, null)).toBe(true);
    expect(mightTrigger(posted('yes'), bot, 1)).toBe(true);
  });
});

describe('greetings', () => {
  it('fills {{user}} and {{char}}, and picks the same greeting for the same invitation every time', () => {
    const many = card({ first_mes: 'One, {{user}}.', alternate_greetings: ['Two, {{user}}.', 'Three from {{char}}.'] });
    const first = greetingFor(many, 'event-1', 'Ada');
    expect(['One, Ada.', 'Two, Ada.', 'Three from Pip.']).toContain(first);
    expect(greetingFor(many, 'event-1', 'Ada')).toBe(first);
    const picked = new Set(Array.from({ length: 30 }, (_, i) => greetingFor(many, `event-${i}`, 'Ada')));
    expect(picked.size).toBe(3);
  });

  it('is null for a card without any greeting', () => {
    expect(greetingFor(card({ first_mes: '  ' }), 'e', 'Ada')).toBeNull();
  });
});

describe('the reply text', () => {
  it('is trimmed, and a text past the limit is cut at a word boundary with an ellipsis', () => {
    expect(replyText('  hello  ', 100)).toBe('hello');
    const cut = replyText('one two three four five six', 15);
    expect(cut).toBe('one two three…');
    expect(cut.length).toBeLessThanOrEqual(15);
  });

  it('never splits an emoji, and cuts a text without spaces at the limit', () => {
    expect(replyText('a'.repeat(8) + '😀'.repeat(5), 10)).toBe('a'.repeat(8) + '…');
    expect(replyText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
