/**
 * One answer of a bot to one trigger, exactly once:
 *
 *   1. the reply's idempotency key (`reply:<event id>`, `greet:<event id>`)
 *      already used → it was answered before a crash; nothing more to do
 *   2. the limits (botLimits.ts): over one → no reply, one warn line
 *   3. the prompt, the model (streamReply.ts: deadline, retries, drafts)
 *   4. still not deleted, still our lease → postMessage as the bot under the
 *      key; CONFLICT on the key means another holder posted first: done
 *
 * The key is what makes it exactly once: the store writes a key once,
 * under the log's lock, so two holders (a stale one and its successor) or a
 * re-run after a crash can never both post. Step 1 only saves the model call.
 *
 * The outcome tells the loop whether the trigger is settled (the checkpoint
 * moves past it) or must be done again by whoever runs the bot next
 * (`stopped`, `lease_lost`: the reply was not posted and nobody gave up).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyError, ThrdsError, isUnavailable } from '../errors.ts';
import { idempotency } from '../modules/commandDeps.ts';
import { postMessage } from '../modules/messagePosted.ts';
import { messagesByIds } from '../projections/messagesQueries.ts';
import { threadsByIds } from '../projections/threadsQueries.ts';
import { log } from '../observability/log.ts';
import type { Services } from '../schema/context.ts';
import type { BotLimits } from './botLimits.ts';
import type { BotSettings } from './botSettings.ts';
import { greetingFor } from './greeting.ts';
import { buildPrompt } from './prompt.ts';
import { recentMessages } from './recentMessages.ts';
import { replyText } from './replyText.ts';
import { streamReply } from './streamReply.ts';
import type { Trigger } from './triggers.ts';
import type { BotRow, ChatEngine } from './types.ts';

export type AnswerOutcome =
  /** The reply (or greeting) is in the log now. */
  | 'posted'
  /** Its key was used already: answered before (a crash, another holder). */
  | 'already_answered'
  /** Over a reply limit. */
  | 'limited'
  /** The model failed every attempt, or refused. */
  | 'failed'
  /** Posting was refused (the thread locked, the bot suspended, the text not accepted). */
  | 'refused'
  /** Nothing to say any more (deleted while the model wrote, a card without greetings). */
  | 'skipped'
  /** The reactor stopped, or lost the bot's lease: not settled, done again by the next holder. */
  | 'stopped'
  | 'lease_lost';

/** Outcomes after which the trigger must be handled again (the checkpoint stays before it). */
export const UNSETTLED: ReadonlySet<AnswerOutcome> = new Set(['stopped', 'lease_lost']);

export interface AnswerReport {
  readonly botId: string;
  readonly threadId: string;
  readonly kind: Trigger['kind'];
  readonly outcome: AnswerOutcome;
  /** The model's time over all attempts, and to its first piece in the attempt that wrote the reply. */
  readonly modelMs?: number;
  readonly firstTokenMs?: number | undefined;
}

export interface AnswerDeps {
  readonly services: Pick<Services, 'store' | 'db' | 'clock' | 'newId' | 'readCache' | 'rateLimits' | 'typing' | 'botDrafts' | 'attachments'>;
  readonly settings: BotSettings;
  readonly engine: ChatEngine;
  readonly limits: BotLimits;
  /** Asked right before posting: does this instance still run the bot? */
  readonly stillHolds: () => Promise<boolean>;
  /** Aborts when the reactor stops or the bot's loop ends. */
  readonly signal: AbortSignal;
}

/** Pauses between tries of a post the database could not take (UNAVAILABLE, or the bot's own post rate limit). */
const POST_RETRY_MS = [250, 1000, 3000, 10_000];

export async function answer(deps: AnswerDeps, bot: BotRow, trigger: Trigger): Promise<AnswerReport> {
  const report = (outcome: AnswerOutcome, extra: Partial<AnswerReport> = {}): AnswerReport => ({ botId: bot.id, threadId: trigger.threadId, kind: trigger.kind, outcome, ...extra });
  const key = `${trigger.kind === 'greet' ? 'greet' : 'reply'}:${trigger.eventId}`;
  if (await keyUsed(deps, bot.id, key)) return report('already_answered');
  const giveUp = (outcome: AnswerOutcome, reason: string, extra: Partial<AnswerReport> = {}) => {
    log.warn({ bot: bot.username, botId: bot.id, threadId: trigger.threadId, trigger: trigger.eventId, reason }, `bot ${bot.username} does not answer: ${reason}`);
    return report(outcome, extra);
  };
  const callerName = trigger.callerId === null ? '' : ((await deps.services.readCache.usersByIds([trigger.callerId]))[0]?.displayName ?? '');

  if (trigger.kind === 'greet') {
    const text = greetingFor(bot.card, trigger.eventId, callerName);
    if (text === null) return report('skipped');
    const { outcome, reason } = await post(deps, bot, trigger, null, key, replyText(text, deps.settings.maxReplyChars));
    return reason === undefined ? report(outcome) : giveUp(outcome, `the greeting was refused: ${reason}`);
  }

  const call = { botId: bot.id, threadId: trigger.threadId, callerId: trigger.callerId };
  const verdict = deps.limits.check(call);
  if (!verdict.ok) return giveUp('limited', verdict.reason);
  if (verdict.waitMs > 0) {
    try {
      await sleep(verdict.waitMs, undefined, { signal: deps.signal });
    } catch {
      return report('stopped');
    }
  }

  const [thread] = await threadsByIds(deps.services.db, [trigger.threadId]);
  const recent = await recentMessages(deps.services.db, deps.services.readCache, trigger.threadId, trigger.position);
  const messages = buildPrompt({ card: bot.card, botId: bot.id, userName: callerName, threadTitle: thread?.title ?? '', recent, tokenBudget: deps.settings.contextTokens });
  const streamed = await streamReply({
    engine: deps.engine,
    messages,
    settings: deps.settings,
    drafts: deps.services.botDrafts,
    typing: deps.services.typing,
    botId: bot.id,
    threadId: trigger.threadId,
    replyToId: trigger.messageId,
    signal: deps.signal,
    clock: deps.services.clock,
  });
  const ended = (text: string) =>
    deps.services.botDrafts.publish({ kind: 'BotDraft', threadId: trigger.threadId, botId: bot.id, replyToId: trigger.messageId, text, ended: true });
  if (streamed.kind !== 'written') {
    ended('');
    if (streamed.kind === 'stopped') return report('stopped');
    return giveUp('failed', `the model failed ${streamed.attempts} time(s), last: ${streamed.reason}`);
  }
  const timings = { modelMs: streamed.modelMs, firstTokenMs: streamed.firstTokenMs };
  const text = replyText(streamed.text, deps.settings.maxReplyChars);
  const [message] = await messagesByIds(deps.services.db, [trigger.messageId]);
  if (!message || message.deletedAt !== null) {
    ended('');
    deps.services.typing.set(trigger.threadId, bot.id, false);
    return report('skipped', timings);
  }
  let posted: AnswerOutcome = 'stopped';
  let refusal: string | undefined;
  try {
    ({ outcome: posted, reason: refusal } = await post(deps, bot, trigger, trigger.messageId, key, text));
  } finally {
    // Also when posting failed for good (the loop tries the trigger again later): watchers stop waiting.
    ended(posted === 'posted' ? text : '');
    if (posted !== 'posted') deps.services.typing.set(trigger.threadId, bot.id, false);
  }
  if (posted === 'posted') deps.limits.record(call);
  return refusal === undefined ? report(posted, timings) : giveUp(posted, `the reply was refused: ${refusal}`, timings);
}

/** Whether a post under this bot's `key` is in the log already (the store's key row, as postMessage scopes it). */
async function keyUsed(deps: AnswerDeps, botId: string, key: string): Promise<boolean> {
  const stored = idempotency({ userId: botId, correlationId: '' }, 'postMessage', key, null).idempotencyKey;
  const rows = await deps.services.db.query('SELECT 1 AS used FROM idempotency_keys WHERE idem_key = ?', [stored]);
  return rows.length > 0;
}

/**
 * Posts as the bot; a database outage or the bot's own post limit is waited
 * out a few times, then left to the loop (it retries the trigger). A
 * refusal (FORBIDDEN: the thread locked or the bot suspended; NOT_FOUND;
 * BAD_USER_INPUT) comes back with its message as `reason`.
 */
async function post(deps: AnswerDeps, bot: BotRow, trigger: Trigger, replyToId: string | null, key: string, body: string): Promise<{ outcome: AnswerOutcome; reason?: string }> {
  for (let attempt = 0; ; attempt += 1) {
    if (deps.signal.aborted) return { outcome: 'stopped' };
    if (!(await deps.stillHolds())) return { outcome: 'lease_lost' };
    try {
      const actor = { userId: bot.id, correlationId: `bot-${trigger.eventId}`.slice(0, 64) };
      await postMessage(deps.services, actor, { threadId: trigger.threadId, body, replyToId, format: 'markdown', idempotencyKey: key });
      return { outcome: 'posted' };
    } catch (error) {
      if (error instanceof ConcurrencyError && error.details.field === 'idempotencyKey') return { outcome: 'already_answered' };
      const pause = POST_RETRY_MS[attempt];
      const passing = isUnavailable(error) || (error instanceof ThrdsError && error.code === 'RATE_LIMITED');
      if (passing && pause !== undefined) {
        const retryAfter = Number((error as ThrdsError).details.retryAfter ?? 0) * 1000;
        try {
          await sleep(Math.max(pause, retryAfter), undefined, { signal: deps.signal });
        } catch {
          return { outcome: 'stopped' };
        }
        continue;
      }
      if (error instanceof ThrdsError && !passing) return { outcome: 'refused', reason: `${error.code}: ${error.message}` };
      throw error;
    }
  }
}
