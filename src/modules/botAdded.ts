/**
 * BotAdded: an operator adds a bot (issue 15), a user with no credentials
 * that answers in threads through the bots reactor. Its stream is the
 * user's, like UserRegistered's. `addBot` is also how a bot's card changes
 * (BotCardChanged) and how a removed bot comes back: the CLI (`thrds bot
 * add`) and THRDS_BOTS_DIR at server start call it with the same card again
 * and again, and nothing is written when nothing changed.
 */
import type { BotRow, CharacterCard } from '../bots/types.ts';
import { botById } from '../bots/botsQueries.ts';
import { usernameFor } from '../bots/characterCard.ts';
import { isUniqueViolation } from '../db/database.ts';
import { ConcurrencyError, NotFoundError } from '../errors.ts';
import { canonicalJson } from '../events/canonicalJson.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { LIMITS, validate } from '../input/limits.ts';
import { botCardChanged } from './botCardChanged.ts';
import { type Actor, type CommandDeps, DECIDE_ATTEMPTS, metadataFor } from './commandDeps.ts';
import { defineEvent, newEvent } from './eventModule.ts';

export type BotAddedData = { readonly userId: string; readonly username: string; readonly displayName: string; readonly card: CharacterCard };

export const botAdded = defineEvent<BotAddedData>()({
  type: 'BotAdded',
  schemaVersion: 1,
  upcasters: {},
  stream: 'user',
  evolve: {
    users: (changes, { data, recordedAt, position }) =>
      changes.register({
        id: data.userId,
        username: data.username,
        displayName: data.displayName,
        registeredAt: recordedAt,
        position,
        role: 'MEMBER',
        suspendedUntil: null,
        isBot: true,
      }),
    bots: (changes, { data, recordedAt, position }) =>
      changes.add({ id: data.userId, username: data.username, displayName: data.displayName, card: data.card, addedAt: recordedAt, position, removedAt: null }),
  },
});

export interface AddBotInput {
  /** Already validated (src/bots/characterCard.ts). */
  readonly card: CharacterCard;
  /** Default: from the card's name (bots/characterCard.ts usernameFor). */
  readonly username?: string | undefined;
}

export type AddBotOutcome = 'added' | 'updated' | 'unchanged';

/** Who holds a username now, with what addBot needs to know about a bot holding it. */
export type UsernameHolder =
  | null
  | { readonly kind: 'person' }
  | {
      readonly kind: 'bot';
      readonly bot: Pick<BotRow, 'id' | 'displayName' | 'card' | 'removedAt'>;
      /** The bot's stream version when it was read: a change expects it. */
      readonly version: number;
    };

export interface AddBotFacts {
  readonly holder: UsernameHolder;
}

export const usernameTaken = (username: string): ConcurrencyError => new ConcurrencyError(`The username ${username} is taken`, { field: 'username' });

export interface AddBotDecision {
  readonly request: AppendRequest | null;
  readonly outcome: AddBotOutcome;
  /** The bot's user id (new when added). */
  readonly botId: string;
}

/**
 * Pure. A username held by a person: CONFLICT. Held by no one: BotAdded
 * (with `newBotId`). Held by a bot: BotCardChanged when its card or display
 * name differs or it was removed (that brings it back), nothing otherwise.
 */
export function decideAddBot(input: AddBotInput, facts: AddBotFacts, newBotId: string, actor: Actor | null, correlationId: string): AddBotDecision {
  const displayName = validate.displayName(input.card.data.name);
  const username = validate.username(input.username ?? usernameFor(input.card.data.name));
  const { card } = input;
  const metadata = metadataFor(actor, correlationId);
  const { holder } = facts;
  if (holder?.kind === 'person') throw usernameTaken(username);
  if (holder === null) {
    return {
      botId: newBotId,
      outcome: 'added',
      request: {
        streamId: streamOf.user(newBotId),
        events: [newEvent(botAdded, { userId: newBotId, username, displayName, card })],
        metadata,
        expectedVersion: 'no_stream',
      },
    };
  }
  const { bot, version } = holder;
  const same = bot.removedAt === null && bot.displayName === displayName && canonicalJson(bot.card) === canonicalJson(card);
  if (same) return { botId: bot.id, outcome: 'unchanged', request: null };
  return {
    botId: bot.id,
    outcome: 'updated',
    request: {
      streamId: streamOf.user(bot.id),
      events: [newEvent(botCardChanged, { userId: bot.id, displayName, card })],
      metadata,
      expectedVersion: version,
    },
  };
}

/**
 * Adds a bot, or updates (and brings back) the bot holding the username.
 * `actor` is null for the CLI and THRDS_BOTS_DIR: the events' actorId is
 * then null. Two adds racing for one username are decided again on what won.
 */
export async function addBot(deps: CommandDeps, actor: Actor | null, input: AddBotInput): Promise<{ bot: BotRow; outcome: AddBotOutcome }> {
  const username = validate.username(input.username ?? usernameFor(input.card.data.name));
  const correlationId = actor?.correlationId ?? `bot-add:${deps.newId()}`;
  for (let attempt = 1; ; attempt += 1) {
    const decision = decideAddBot(input, { holder: await holderOf(deps, username) }, deps.newId(), actor, correlationId);
    if (decision.request) {
      try {
        await deps.store.append(decision.request);
      } catch (error) {
        // Another add of this username (or a registration) won: decided again, it is then an update, unchanged, or taken.
        const raced = isUniqueViolation(error) || error instanceof ConcurrencyError;
        if (raced && attempt < DECIDE_ATTEMPTS) continue;
        if (isUniqueViolation(error)) throw usernameTaken(username);
        throw error;
      }
    }
    // The read model is written in the append's transaction: this read sees it.
    const bot = await botById(deps.db, decision.botId);
    if (!bot) throw new NotFoundError(`No bot ${username}`, { username });
    return { bot, outcome: decision.outcome };
  }
}

/** Who holds `username`, with a bot's state and stream version read in one statement so they agree. */
export async function holderOf(deps: Pick<CommandDeps, 'db'>, username: string): Promise<UsernameHolder> {
  const streamId = deps.db.dialect === 'mysql' ? 'CONCAT(?, u.id)' : '(? || u.id)';
  const [row] = await deps.db.query<{
    id: string;
    is_bot: number | string;
    display_name: string | null;
    card: string | CharacterCard | null;
    removed_at: number | string | null;
    version: number | string | null;
  }>(
    `SELECT u.id, u.is_bot, b.display_name, b.card, b.removed_at, (SELECT MAX(e.stream_version) FROM events e WHERE e.stream_id = ${streamId}) AS version
       FROM users u LEFT JOIN bots b ON b.id = u.id WHERE u.username = ?`,
    [streamOf.user(''), username],
  );
  if (!row) return null;
  if (Number(row.is_bot) !== 1 || row.display_name === null || row.card === null) return { kind: 'person' };
  return {
    kind: 'bot',
    bot: {
      id: row.id,
      displayName: row.display_name,
      card: typeof row.card === 'string' ? (JSON.parse(row.card) as CharacterCard) : row.card,
      removedAt: row.removed_at === null ? null : Number(row.removed_at),
    },
    version: Number(row.version ?? 0),
  };
}
