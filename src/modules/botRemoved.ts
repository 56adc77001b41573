/**
 * BotRemoved: an operator retires a bot (`thrds bot remove`). Its user row
 * stays (its messages keep their author); it answers nothing and cannot be
 * invited until `thrds bot add` brings it back (BotCardChanged).
 */
import type { BotRow } from '../bots/types.ts';
import { botById } from '../bots/botsQueries.ts';
import { NotFoundError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { validate } from '../input/limits.ts';
import { type UsernameHolder, holderOf } from './botAdded.ts';
import { type Actor, type CommandDeps, decidedAgainOnConflict, isVersionConflict, metadataFor } from './commandDeps.ts';
import { defineEvent, newEvent } from './eventModule.ts';

export type BotRemovedData = { readonly userId: string };

export const botRemoved = defineEvent<BotRemovedData>()({
  type: 'BotRemoved',
  schemaVersion: 1,
  upcasters: {},
  stream: 'user',
  evolve: {
    bots: (changes, { data, recordedAt }) => changes.change(data.userId, { removedAt: recordedAt }),
  },
});

export interface RemoveBotInput {
  readonly username: string;
}

/** Pure. NOT_FOUND when no bot has the username; null (nothing to append) when it is removed already. */
export function decideRemoveBot(username: string, holder: UsernameHolder, actor: Actor | null, correlationId: string): AppendRequest | null {
  if (holder?.kind !== 'bot') throw new NotFoundError(`No bot ${username}`, { username });
  if (holder.bot.removedAt !== null) return null;
  return {
    streamId: streamOf.user(holder.bot.id),
    events: [newEvent(botRemoved, { userId: holder.bot.id })],
    metadata: metadataFor(actor, correlationId),
    expectedVersion: holder.version,
  };
}

/** Retires the bot `username`; answers it as it is now. `actor` is null for the CLI. */
export async function removeBot(deps: CommandDeps, actor: Actor | null, input: RemoveBotInput): Promise<BotRow> {
  const username = validate.username(input.username);
  const correlationId = actor?.correlationId ?? `bot-remove:${deps.newId()}`;
  return decidedAgainOnConflict(async () => {
    const holder = await holderOf(deps, username);
    const request = decideRemoveBot(username, holder, actor, correlationId);
    if (request) await deps.store.append(request);
    const bot = holder?.kind === 'bot' ? await botById(deps.db, holder.bot.id) : null;
    if (!bot) throw new NotFoundError(`No bot ${username}`, { username });
    return bot;
  }, isVersionConflict);
}
