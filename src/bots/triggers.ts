/**
 * Which answer, if any, an event of the log asks of a bot (pure). A bot
 * answers a message that mentions it, replies to one of its messages, or is
 * posted in a thread it was invited to; it greets when it is invited. It
 * never answers a bot (no loops between bots), its own messages, a deleted
 * message, nor anything at or before its own BotAdded (a bot added today
 * does not answer last year's mentions of its username).
 */
import type { StoredEvent } from '../events/types.ts';
import { mentionedUsernames } from '../projections/mentionsParser.ts';
import type { BotRow } from './types.ts';

/** Why a message calls the bot (for logs and metrics). */
export type CallReason = 'mention' | 'reply' | 'invited';

export type Trigger =
  | {
      readonly kind: 'reply';
      readonly reason: CallReason;
      /** The triggering event: the reply's idempotency key comes from it. */
      readonly eventId: string;
      readonly position: number;
      readonly recordedAt: number;
      readonly threadId: string;
      /** The message answered: the reply's replyToId. */
      readonly messageId: string;
      /** Who called the bot ({{user}}, the per-user limit). */
      readonly callerId: string;
    }
  | {
      readonly kind: 'greet';
      readonly eventId: string;
      readonly position: number;
      readonly recordedAt: number;
      readonly threadId: string;
      /** Who invited the bot ({{user}}); null when the invitation was a system's. */
      readonly callerId: string | null;
    };

/** What the read side knows that the decision depends on. */
export interface TriggerFacts {
  /** The message's author is a bot (any bot, this one included). */
  readonly authorIsBot: boolean;
  /** The author of the message replied to; null when it is no reply or the message is unknown. */
  readonly repliedToAuthorId: string | null;
  /** Position of the BotInvited that invited this bot to the event's thread (still in force); null when not invited. */
  readonly invitedAt: number | null;
  /** The message has been deleted since. */
  readonly deleted: boolean;
}

/** The facts most favourable to an answer: when even these ask nothing, no read is needed (mightTrigger). */
const MOST_FAVOURABLE = (bot: BotRow, invitedAt: number | null): TriggerFacts => ({ authorIsBot: false, repliedToAuthorId: bot.id, invitedAt, deleted: false });

interface MessageData {
  readonly messageId: string;
  readonly threadId: string;
  readonly body: string;
  readonly replyToId: string | null;
}

interface InvitedData {
  readonly threadId: string;
  readonly botId: string;
}

export function triggersFor(event: StoredEvent, bot: BotRow, facts: TriggerFacts): Trigger | null {
  if (bot.removedAt !== null || event.position <= bot.position) return null;
  const common = { eventId: event.eventId, position: event.position, recordedAt: event.recordedAt };
  if (event.type === 'BotInvited') {
    const data = event.data as unknown as InvitedData;
    // Only the invitation in force: not one undone since (nothing to greet), nor one made again later (that one greets).
    if (data.botId !== bot.id || facts.invitedAt !== event.position) return null;
    return { kind: 'greet', ...common, threadId: data.threadId, callerId: event.metadata.actorId };
  }
  if (event.type !== 'MessagePosted') return null;
  const data = event.data as unknown as MessageData;
  const author = event.metadata.actorId;
  if (author === null || author === bot.id || facts.authorIsBot || facts.deleted || event.erased === true) return null;
  const reason = reasonFor(data, bot, facts, event.position);
  if (reason === null) return null;
  return { kind: 'reply', reason, ...common, threadId: data.threadId, messageId: data.messageId, callerId: author };
}

/**
 * False when the event cannot ask anything of the bot whatever the read
 * side says: the reactor then skips the reads (most messages call no bot).
 */
export function mightTrigger(event: StoredEvent, bot: BotRow, invitedAt: number | null): boolean {
  return triggersFor(event, bot, MOST_FAVOURABLE(bot, invitedAt)) !== null;
}

function reasonFor(data: MessageData, bot: BotRow, facts: TriggerFacts, position: number): CallReason | null {
  if (typeof data.body === 'string' && mentionedUsernames(data.body).includes(bot.username.toLowerCase())) return 'mention';
  if (data.replyToId !== null && facts.repliedToAuthorId === bot.id) return 'reply';
  // Only messages after the invitation: inviting a bot to an old thread does not answer its history.
  if (facts.invitedAt !== null && facts.invitedAt < position) return 'invited';
  return null;
}
