/**
 * BotUninvited: a thread's creator (or a moderator or admin) removes a bot
 * from the thread: it answers only mentions and replies there again. The
 * rules and handler are shared with inviting (botInvited.ts).
 */
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import type { ThreadRow } from '../projections/threadsProjection.ts';
import { type BotInvitationFacts, type BotInvitationInput, changeInvitation, checkInvitation } from './botInvited.ts';
import { type Actor, type CommandDeps, metadataFor } from './commandDeps.ts';
import { defineEvent, newEvent } from './eventModule.ts';

export type BotUninvitedData = { readonly threadId: string; readonly botId: string };

export const botUninvited = defineEvent<BotUninvitedData>()({
  type: 'BotUninvited',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {
    threadBots: (changes, { data }) => changes.uninvite(data.threadId, data.botId),
    // Every event of a thread moves its position: threadEvents(after: thread.position) misses nothing.
    threads: (changes, { data, position }) => changes.change(data.threadId, { position }),
  },
});

/** Pure: the BotUninvited to append, or null when the bot is not invited. A removed bot may still be uninvited. */
export function decideUninviteBot(input: BotInvitationInput, facts: BotInvitationFacts, actor: Actor): AppendRequest | null {
  const { threadId, botId, version, invited } = checkInvitation(input, facts, actor, false);
  if (!invited) return null;
  return {
    streamId: streamOf.thread(threadId),
    events: [newEvent(botUninvited, { threadId, botId })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: version,
  };
}

export function uninviteBot(deps: CommandDeps, actor: Actor, input: BotInvitationInput): Promise<ThreadRow> {
  return changeInvitation(deps, actor, input, decideUninviteBot);
}
