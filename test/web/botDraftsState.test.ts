/**
 * The web client's pure rules for bot drafts (issue 15): the reply a bot is
 * writing shows under the messages, grows with each delivery, and goes when
 * its message is in the log or a moment after it says it ended; pieces that
 * arrive after either are stale and never shown.
 */
import { describe, expect, it } from 'vitest';
import { botDraftsReducer, endedGraceMs, noDrafts, shownDrafts, staleDraftMs, type BotDraftsState } from '../../web/src/bots/botDrafts.ts';
import type { Message, User } from '../../web/src/api/decode.ts';

const wren: User = { id: 'bot-wren', username: 'wren', displayName: 'Wren', isBot: true };
const otto: User = { id: 'bot-otto', username: 'otto', displayName: 'Otto', isBot: true };
const ada: User = { id: 'ada', username: 'ada', displayName: 'Ada', isBot: false };

function message(id: string, author: User, replyToId: string | null): Message {
  return {
    id,
    body: 'text',
    postedAt: '2026-12-05T01:00:00.000Z',
    position: '10',
    author,
    replyTo: replyToId ? { id: replyToId, body: 'call', deletedAt: null, author: ada } : null,
    editedAt: null,
    deletedAt: null,
    reactions: [],
  };
}

function given(...pieces: { bot?: User; replyToId?: string; text: string; ended?: boolean; at?: number }[]): BotDraftsState {
  return pieces.reduce<BotDraftsState>(
    (state, p) => botDraftsReducer(state, { type: 'draft', draft: { bot: p.bot ?? wren, replyToId: p.replyToId ?? 'm1', text: p.text, ended: p.ended ?? false }, now: p.at ?? 0 }),
    noDrafts,
  );
}

const texts = (state: BotDraftsState, messages: readonly Message[] = []) => shownDrafts(state, messages).map((d) => `${d.bot.username}:${d.text}`);

describe('bot drafts', () => {
  it('shows nothing before any draft arrives', () => {
    expect(texts(noDrafts)).toEqual([]);
  });

  it('shows the latest whole text of a draft: each delivery replaces the one before', () => {
    const state = given({ text: 'Hel' }, { text: 'Hello the' }, { text: 'Hello there' });
    expect(texts(state)).toEqual(['wren:Hello there']);
  });

  it('shows two bots answering at once side by side, in the order they started', () => {
    const state = given({ bot: otto, text: 'Hm' }, { bot: wren, text: 'Oh' }, { bot: otto, text: 'Hmm, yes' });
    expect(texts(state)).toEqual(['otto:Hmm, yes', 'wren:Oh']);
  });

  it('hides a draft once the bot\'s message answering the same message is in the log', () => {
    const state = given({ text: 'Hello there' });
    expect(texts(state, [message('m1', ada, null), message('r1', wren, 'm1')])).toEqual([]);
  });

  it('keeps a draft when another message (a person\'s reply, another bot\'s, or the bot answering something else) arrives', () => {
    const state = given({ text: 'Hello' });
    const log = [message('m1', ada, null), message('x', ada, 'm1'), message('y', otto, 'm1'), message('z', wren, 'm0')];
    expect(texts(state, log)).toEqual(['wren:Hello']);
  });

  it('ignores pieces of a reply that arrive after its message is in the log', () => {
    const log = [message('m1', ada, null), message('r1', wren, 'm1')];
    const state = given({ text: 'Hello there' }, { text: 'Hello th' });
    expect(texts(state, log)).toEqual([]);
  });

  it('keeps an ended draft for a moment (its message is on the way) without the writing indicator, then drops it', () => {
    const state = given({ text: 'Hello', at: 0 }, { text: 'Hello there', ended: true, at: 100 });
    const shown = shownDrafts(state, []);
    expect(shown.map((d) => [d.text, d.ended])).toEqual([['Hello there', true]]);
    expect(texts(botDraftsReducer(state, { type: 'expire', now: 100 + endedGraceMs - 1 }))).toEqual(['wren:Hello there']);
    expect(texts(botDraftsReducer(state, { type: 'expire', now: 100 + endedGraceMs }))).toEqual([]);
  });

  it('ignores a piece of a draft that arrives after it ended', () => {
    let state = given({ text: 'Hello there', ended: true, at: 0 });
    state = botDraftsReducer(state, { type: 'expire', now: endedGraceMs });
    state = botDraftsReducer(state, { type: 'draft', draft: { bot: wren, replyToId: 'm1', text: 'Hello', ended: false }, now: endedGraceMs + 1 });
    expect(texts(state)).toEqual([]);
  });

  it('drops a draft that went quiet for long (its end was lost), and only that one', () => {
    const state = given({ text: 'old', at: 0 }, { bot: otto, replyToId: 'm2', text: 'fresh', at: staleDraftMs - 10 });
    expect(texts(botDraftsReducer(state, { type: 'expire', now: staleDraftMs }))).toEqual(['otto:fresh']);
  });

  it('changes nothing when nothing expired (same state object: no re-render)', () => {
    const state = given({ text: 'Hello', at: 0 });
    expect(botDraftsReducer(state, { type: 'expire', now: 1000 })).toBe(state);
  });
});
