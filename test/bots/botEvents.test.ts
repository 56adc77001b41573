/**
 * The bot events (issue 15) as given/when/then: addBot's, removeBot's,
 * inviteBot's and uninviteBot's decisions, and the steps of BotAdded,
 * BotCardChanged, BotRemoved, BotInvited and BotUninvited in the users,
 * bots, thread_bots and threads read models.
 */
import { describe, expect, it } from 'vitest';
import type { CharacterCard } from '../../src/bots/types.ts';
import { type AddBotFacts, decideAddBot } from '../../src/modules/botAdded.ts';
import { type BotInvitationFacts, decideInviteBot } from '../../src/modules/botInvited.ts';
import { decideRemoveBot } from '../../src/modules/botRemoved.ts';
import { decideUninviteBot } from '../../src/modules/botUninvited.ts';
import { evolveBots } from '../../src/projections/botsProjection.ts';
import { evolveThreadBots, threadBotsProjection } from '../../src/projections/threadBotsProjection.ts';
import { evolveThreads } from '../../src/projections/threadsProjection.ts';
import { evolveUserChanges } from '../../src/projections/usersProjection.ts';
import { ana, bob, recorded, threadId } from '../modules/given.ts';
import { testCard } from './support/testCard.ts';

const botId = 'e0000000-0000-4000-8000-00000000000e';
const newBotId = 'f0000000-0000-4000-8000-00000000000f';

const cardOf = (data: Partial<CharacterCard['data']> = {}): CharacterCard =>
  testCard({ name: 'Ada Lovelace', description: 'A mathematician.', personality: '', first_mes: 'Hello, {{user}}.', creator_notes: 'For tests.', tags: ['math'], ...data });

const card = cardOf();
const aBot = (bot: { displayName?: string; card?: CharacterCard; removedAt?: number | null } = {}): AddBotFacts => ({
  holder: { kind: 'bot', bot: { id: botId, displayName: 'Ada Lovelace', card, removedAt: null, ...bot }, version: 3 },
});

describe('decideAddBot', () => {
  it('given the username is free, when a card is added from the command line, then one BotAdded on the new user stream, with no actor', () => {
    const decision = decideAddBot({ card }, { holder: null }, newBotId, null, 'cli:1');
    expect(decision).toMatchObject({
      outcome: 'added',
      botId: newBotId,
      request: {
        streamId: `user-${newBotId}`,
        expectedVersion: 'no_stream',
        events: [{ type: 'BotAdded', schemaVersion: 1, data: { userId: newBotId, username: 'ada_lovelace', displayName: 'Ada Lovelace', card } }],
        metadata: { actorId: null, correlationId: 'cli:1' },
      },
    });
  });

  it('given a username asked for, when the card is added, then the bot has that username', () => {
    expect(decideAddBot({ card, username: 'ada' }, { holder: null }, newBotId, null, 'c').request?.events[0]?.data).toMatchObject({ username: 'ada' });
  });

  it('given a person holds the username, when a bot is added with it, then it is CONFLICT and names the username', () => {
    expect(() => decideAddBot({ card }, { holder: { kind: 'person' } }, newBotId, null, 'c')).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: 'The username ada_lovelace is taken' }),
    );
  });

  it('given a bot holds the username with the same card, when it is added again, then nothing is appended', () => {
    expect(decideAddBot({ card }, aBot(), newBotId, null, 'c')).toEqual({ outcome: 'unchanged', botId, request: null });
  });

  it('given a bot holds the username, when a different card is added, then one BotCardChanged expecting the version read', () => {
    const changed = cardOf({ name: 'Ada', description: 'Countess.' });
    expect(decideAddBot({ card: changed, username: 'ada_lovelace' }, aBot(), newBotId, ana, 'c')).toMatchObject({
      outcome: 'updated',
      botId,
      request: {
        streamId: `user-${botId}`,
        expectedVersion: 3,
        events: [{ type: 'BotCardChanged', data: { userId: botId, displayName: 'Ada', card: changed } }],
        metadata: { actorId: ana.userId },
      },
    });
  });

  it('given a removed bot, when its card is added again unchanged, then one BotCardChanged brings it back', () => {
    expect(decideAddBot({ card }, aBot({ removedAt: 5 }), newBotId, null, 'c').request?.events[0]?.type).toBe('BotCardChanged');
  });

  it('given a card name that is no display name or a username that is none, then BAD_USER_INPUT', () => {
    expect(() => decideAddBot({ card: cardOf({ name: '   ' }) }, { holder: null }, newBotId, null, 'c')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => decideAddBot({ card, username: 'No Spaces' }, { holder: null }, newBotId, null, 'c')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('decideRemoveBot', () => {
  it('given an active bot, when it is removed, then one BotRemoved expecting the version read', () => {
    expect(decideRemoveBot('ada_lovelace', aBot().holder, null, 'c')).toMatchObject({
      streamId: `user-${botId}`,
      expectedVersion: 3,
      events: [{ type: 'BotRemoved', data: { userId: botId } }],
      metadata: { actorId: null },
    });
  });

  it('given a removed bot, when it is removed again, then nothing is appended', () => {
    expect(decideRemoveBot('ada_lovelace', aBot({ removedAt: 9 }).holder, null, 'c')).toBeNull();
  });

  it('given no bot, or a person, holds the username, then NOT_FOUND', () => {
    expect(() => decideRemoveBot('nobody', null, null, 'c')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decideRemoveBot('quill', { kind: 'person' }, null, 'c')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

const invitation = (
  thread: Partial<NonNullable<BotInvitationFacts['thread']>> | null = {},
  bot: BotInvitationFacts['bot'] = { removed: false },
  actorRole: BotInvitationFacts['actorRole'] = 'MEMBER',
): BotInvitationFacts => ({
  actorRole,
  thread: thread === null ? null : { createdBy: ana.userId, version: 6, botInvited: false, ...thread },
  bot,
});

describe('decideInviteBot', () => {
  it("given ana's thread and an active bot, when ana invites it, then one BotInvited expecting the thread's version, with ana as actor", () => {
    expect(decideInviteBot({ threadId, botId }, invitation(), ana)).toMatchObject({
      streamId: `thread-${threadId}`,
      expectedVersion: 6,
      events: [{ type: 'BotInvited', data: { threadId, botId } }],
      metadata: { actorId: ana.userId },
    });
  });

  it("given ana's thread, when bob (a member) invites a bot, then FORBIDDEN; when bob moderates, then it is appended", () => {
    expect(() => decideInviteBot({ threadId, botId }, invitation(), bob)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(decideInviteBot({ threadId, botId }, invitation({}, { removed: false }, 'MODERATOR'), bob)?.events).toHaveLength(1);
  });

  it('given the bot is invited already, when invited again, then nothing is appended', () => {
    expect(decideInviteBot({ threadId, botId }, invitation({ botInvited: true }), ana)).toBeNull();
  });

  it('given no such thread, no such bot, or a removed bot, then NOT_FOUND; given ids that are no UUIDs, then BAD_USER_INPUT', () => {
    expect(() => decideInviteBot({ threadId, botId }, invitation(null), ana)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decideInviteBot({ threadId, botId }, invitation({}, null), ana)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decideInviteBot({ threadId, botId }, invitation({}, { removed: true }), ana)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => decideInviteBot({ threadId, botId: 'ada' }, invitation(), ana)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => decideInviteBot({ threadId: 'x', botId }, invitation(), ana)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('decideUninviteBot', () => {
  it('given an invited bot, when the creator removes it, then one BotUninvited expecting the version read', () => {
    expect(decideUninviteBot({ threadId, botId }, invitation({ botInvited: true }), ana)).toMatchObject({
      expectedVersion: 6,
      events: [{ type: 'BotUninvited', data: { threadId, botId } }],
    });
  });

  it('given a bot that is not invited, then nothing is appended; given a removed bot still invited, then it can be removed', () => {
    expect(decideUninviteBot({ threadId, botId }, invitation(), ana)).toBeNull();
    expect(decideUninviteBot({ threadId, botId }, invitation({ botInvited: true }, { removed: true }), ana)?.events).toHaveLength(1);
  });

  it("given someone else's thread, when a member removes a bot, then FORBIDDEN", () => {
    expect(() => decideUninviteBot({ threadId, botId }, invitation({ botInvited: true }), bob)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});

describe('the users and bots read models, evolved by the bot events', () => {
  const added = recorded('BotAdded', { userId: botId, username: 'ada', displayName: 'Ada Lovelace', card }, { actorId: null });

  it('given a BotAdded, then the user is registered as a bot member, never suspended, and the bot row is inserted active at its position', () => {
    expect(evolveUserChanges([added]).registered).toEqual([
      { id: botId, username: 'ada', displayName: 'Ada Lovelace', registeredAt: added.recordedAt, position: added.position, role: 'MEMBER', suspendedUntil: null, isBot: true },
    ]);
    expect([...evolveBots([added]).created.values()]).toEqual([
      { id: botId, username: 'ada', displayName: 'Ada Lovelace', card, addedAt: added.recordedAt, position: added.position, removedAt: null },
    ]);
  });

  it('given an existing bot, when removed then its card changes, then one patch: the new card and name, active again; the user gets the new display name', () => {
    const changed = cardOf({ name: 'Countess' });
    const removed = recorded('BotRemoved', { userId: botId }, { actorId: null });
    const cardChanged = recorded('BotCardChanged', { userId: botId, displayName: 'Countess', card: changed }, { actorId: null });
    expect(evolveBots([removed, cardChanged]).patched.get(botId)).toEqual({ removedAt: null, displayName: 'Countess', card: changed });
    expect(evolveUserChanges([cardChanged]).patched.get(botId)).toEqual({ displayName: 'Countess' });
  });

  it('given a BotAdded then a BotRemoved in one run, then the row is inserted removed at the removal time', () => {
    const removed = recorded('BotRemoved', { userId: botId }, { actorId: null });
    expect(evolveBots([added, removed]).created.get(botId)).toMatchObject({ removedAt: removed.recordedAt, position: added.position });
  });
});

describe('the thread_bots and threads read models, evolved by BotInvited and BotUninvited', () => {
  it('given a BotInvited, then the pair is invited at its position, and the thread moves to it', () => {
    const invited = recorded('BotInvited', { threadId, botId });
    expect(evolveThreadBots([invited]).final).toEqual([{ threadId, botId, row: { threadId, botId, invitedAt: invited.recordedAt, position: invited.position } }]);
    expect(evolveThreads([invited]).patched.get(threadId)).toEqual({ position: invited.position, addedMessages: 0 });
  });

  it('given an invite then an uninvite in one run, then the pair ends uninvited: deleted, not inserted', () => {
    const invited = recorded('BotInvited', { threadId, botId });
    const uninvited = recorded('BotUninvited', { threadId, botId });
    expect(evolveThreadBots([invited, uninvited]).final).toEqual([{ threadId, botId, row: null }]);
    expect(threadBotsProjection.statements([invited, uninvited]).map((s) => s.sql)).toEqual(['DELETE FROM thread_bots WHERE thread_id = ? AND bot_id = ?']);
    expect(evolveThreads([invited, uninvited]).patched.get(threadId)?.position).toBe(uninvited.position);
  });
});
