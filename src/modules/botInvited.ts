/**
 * BotInvited: a thread's creator (or a moderator or admin) invites a bot
 * into the thread: it then answers every message posted there (the bots
 * reactor), and greets the thread once. Also what inviting and uninviting
 * share: their input, facts, rule and handler.
 */
import { botById } from '../bots/botsQueries.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { AppendRequest } from '../events/eventStore.ts';
import { streamOf } from '../events/types.ts';
import { validate } from '../input/limits.ts';
import { log } from '../observability/log.ts';
import type { ThreadRow } from '../projections/threadsProjection.ts';
import { threadsByIds } from '../projections/threadsQueries.ts';
import { type Actor, type CommandDeps, decidedAgainOnConflict, isVersionConflict, metadataFor } from './commandDeps.ts';
import { defineEvent, newEvent } from './eventModule.ts';
import { assertMayModerate, isModerator } from './permissions.ts';
import type { Role } from './userRoleChanged.ts';

export type BotInvitedData = { readonly threadId: string; readonly botId: string };

export const botInvited = defineEvent<BotInvitedData>()({
  type: 'BotInvited',
  schemaVersion: 1,
  upcasters: {},
  stream: 'thread',
  evolve: {
    threadBots: (changes, { data, recordedAt, position }) => changes.invite({ threadId: data.threadId, botId: data.botId, invitedAt: recordedAt, position }),
    // Every event of a thread moves its position: threadEvents(after: thread.position) misses nothing.
    threads: (changes, { data, position }) => changes.change(data.threadId, { position }),
  },
});

/** inviteBot's and uninviteBot's input. */
export interface BotInvitationInput {
  readonly threadId: string;
  readonly botId: string;
}

/** What the rules need: the actor's role, the thread (with its stream's version), the bot, and whether it is invited. */
export interface BotInvitationFacts {
  readonly actorRole: Role;
  readonly thread: { readonly createdBy: string; readonly version: number; readonly botInvited: boolean } | null;
  /** null: no such bot (a person's id, or unknown). */
  readonly bot: { readonly removed: boolean } | null;
}

/**
 * Pure, for both commands: NOT_FOUND for an unknown thread; FORBIDDEN unless
 * the actor created the thread or moderates; NOT_FOUND for an unknown bot,
 * and (`needsActiveBot`: inviting) for a removed one. Answers the valid ids.
 */
export function checkInvitation(input: BotInvitationInput, facts: BotInvitationFacts, actor: Actor, needsActiveBot: boolean): { threadId: string; botId: string; version: number; invited: boolean } {
  const threadId = validate.uuid(input.threadId, 'threadId');
  const botId = validate.uuid(input.botId, 'botId');
  const { thread, bot } = facts;
  if (!thread) throw new NotFoundError(`No thread ${threadId}`, { threadId });
  if (thread.createdBy !== actor.userId && !isModerator(facts.actorRole)) {
    throw new ForbiddenError("Only the thread's creator, a moderator or an admin may invite bots to it or remove them");
  }
  if (!bot || (needsActiveBot && bot.removed)) throw new NotFoundError(`No bot ${botId}`, { botId });
  return { threadId, botId, version: thread.version, invited: thread.botInvited };
}

/** Pure: the BotInvited to append, or null when the bot is invited already. */
export function decideInviteBot(input: BotInvitationInput, facts: BotInvitationFacts, actor: Actor): AppendRequest | null {
  const { threadId, botId, version, invited } = checkInvitation(input, facts, actor, true);
  if (invited) return null;
  return {
    streamId: streamOf.thread(threadId),
    events: [newEvent(botInvited, { threadId, botId })],
    metadata: metadataFor(actor, actor.correlationId),
    expectedVersion: version,
  };
}

type DecideInvitation = (input: BotInvitationInput, facts: BotInvitationFacts, actor: Actor) => AppendRequest | null;

/**
 * Invites or uninvites. Counts toward the posts rate limit (like a rename);
 * a suspended actor, or a locked thread, is FORBIDDEN as for posting. The
 * append expects the thread's version its facts were read at: a write racing
 * it is decided again, so two identical requests append one event.
 */
export async function changeInvitation(deps: CommandDeps, actor: Actor, input: BotInvitationInput, decide: DecideInvitation): Promise<ThreadRow> {
  await deps.rateLimits.consume('postsPerUser', actor.userId);
  const threadId = validate.uuid(input.threadId, 'threadId');
  const botId = validate.uuid(input.botId, 'botId');
  const actorRole = await assertMayModerate(deps, actor, { threadId });
  return decidedAgainOnConflict(async () => {
    const request = decide({ threadId, botId }, await invitationFacts(deps, actorRole, threadId, botId), actor);
    if (request) {
      const appended = await deps.store.append(request);
      const event = request.events[0]?.type;
      const what = event === botInvited.type ? 'bot invited to a thread' : 'bot removed from a thread';
      log.info({ requestId: actor.correlationId, userId: actor.userId, threadId, botId, event, position: appended.lastPosition }, what);
    }
    // The read model is written in the append's transaction: this read sees it.
    const [thread] = await threadsByIds(deps.db, [threadId]);
    if (!thread) throw new NotFoundError(`No thread ${threadId}`, { threadId });
    return thread;
  }, isVersionConflict);
}

export function inviteBot(deps: CommandDeps, actor: Actor, input: BotInvitationInput): Promise<ThreadRow> {
  return changeInvitation(deps, actor, input, decideInviteBot);
}

/** The thread's creator, its stream's version and whether the bot is invited, read in one statement so they agree; and the bot. */
async function invitationFacts(deps: CommandDeps, actorRole: Role, threadId: string, botId: string): Promise<BotInvitationFacts> {
  const [row] = await deps.db.query<{ created_by: string; version: number | string | null; invited: number | string }>(
    `SELECT created_by, (SELECT MAX(stream_version) FROM events WHERE stream_id = ?) AS version,
            (SELECT COUNT(*) FROM thread_bots WHERE thread_id = ? AND bot_id = ?) AS invited
       FROM threads WHERE id = ?`,
    [streamOf.thread(threadId), threadId, botId, threadId],
  );
  const bot = await botById(deps.db, botId);
  return {
    actorRole,
    thread: row ? { createdBy: row.created_by, version: Number(row.version ?? 0), botInvited: Number(row.invited) > 0 } : null,
    bot: bot ? { removed: bot.removedAt !== null } : null,
  };
}
