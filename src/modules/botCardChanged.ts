/**
 * BotCardChanged: `thrds bot add` (or THRDS_BOTS_DIR) was given a bot's
 * username again with a different card, or for a removed bot: the card and
 * display name are replaced and the bot is active again. Decided by addBot
 * (botAdded.ts).
 */
import type { CharacterCard } from '../bots/types.ts';
import { defineEvent } from './eventModule.ts';

export type BotCardChangedData = { readonly userId: string; readonly displayName: string; readonly card: CharacterCard };

export const botCardChanged = defineEvent<BotCardChangedData>()({
  type: 'BotCardChanged',
  schemaVersion: 1,
  upcasters: {},
  stream: 'user',
  evolve: {
    users: (changes, { data }) => changes.change(data.userId, { displayName: data.displayName }),
    bots: (changes, { data }) => changes.change(data.userId, { displayName: data.displayName, card: data.card, removedAt: null }),
  },
});
