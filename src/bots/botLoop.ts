/**
 * One held bot's reading of the log (botReactor.ts starts and stops it):
 * from the bot's checkpoint (or where it became active), each event that
 * can call it is decided (triggers.ts) on the read side's facts and
 * answered (answer.ts); the checkpoint moves after every answer, and once
 * per page for events that ask nothing. An answer left unsettled (a stop, a
 * lost lease) keeps the checkpoint before its trigger, for the next holder.
 *
 * One call at a time, in log order. Answering several calls of one bot at
 * once would need a low-water mark for its checkpoint (the oldest call
 * still unanswered), not the last position handled.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isUnavailable } from '../errors.ts';
import type { StoredEvent } from '../events/types.ts';
import { log } from '../observability/log.ts';
import { messagesByIds } from '../projections/messagesQueries.ts';
import type { Services } from '../schema/context.ts';
import { answer, type AnswerOutcome, type AnswerReport } from './answer.ts';
import { activeSince, readCheckpoint, saveCheckpoint } from './botCheckpoint.ts';
import type { BotLimits } from './botLimits.ts';
import type { BotSettings } from './botSettings.ts';
import { botById, botsByIds } from './botsQueries.ts';
import { mightTrigger, triggersFor } from './triggers.ts';
import type { BotRow, ChatEngine } from './types.ts';

/** The event types that can ask something of a bot. */
const TRIGGER_TYPES = ['MessagePosted', 'BotInvited'] as const;
/** A trigger whose handling fails this many times (a bug, not an outage) is given up with an error line. */
const FAILURES_BEFORE_SKIPPING = 3;

export interface LoopDeps {
  readonly services: Services;
  readonly settings: BotSettings;
  readonly engine: ChatEngine;
  readonly limits: BotLimits;
  readonly isBot: (userId: string) => Promise<boolean>;
  readonly stillHolds: () => Promise<boolean>;
  readonly reported: (report: AnswerReport) => void;
  /** The loop found its lease gone and ended. */
  readonly lost: () => void;
}

/** One held bot's reading of the log. */
export class BotLoop {
  /** Renewed by each look; posting stops when it has passed without one. */
  heldUntil = 0;
  private readonly controller = new AbortController();
  private readonly aborted: Promise<void>;
  private readonly done: Promise<void>;
  private failures = { position: 0, count: 0 };

  constructor(
    /** The latest row (a card change reaches the next answer). */
    public bot: BotRow,
    private readonly deps: LoopDeps,
  ) {
    this.aborted = new Promise((resolve) => this.controller.signal.addEventListener('abort', () => resolve(), { once: true }));
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.done;
  }

  private get stopping(): boolean {
    return this.controller.signal.aborted;
  }

  private async run(): Promise<void> {
    let pause = 500;
    while (!this.stopping) {
      try {
        if ((await this.follow()) === 'lost') {
          log.info({ bot: this.bot.username, botId: this.bot.id }, `bot ${this.bot.username}: its lease went to another instance`);
          this.deps.lost();
          return;
        }
        return;
      } catch (error) {
        if (this.stopping) return;
        log.warn({ err: error, bot: this.bot.username, botId: this.bot.id }, `bot ${this.bot.username}: reading the log failed; trying again from its checkpoint`);
        await sleep(pause, undefined, { signal: this.controller.signal }).catch(() => undefined);
        pause = Math.min(pause * 2, 30_000);
      }
    }
  }

  /** Reads and answers until stopped ('stopped') or the lease is found gone ('lost'); throws to be restarted from the checkpoint. */
  private async follow(): Promise<'stopped' | 'lost'> {
    const { services } = this.deps;
    const { db, feed } = services;
    let saved = Math.max((await readCheckpoint(db, this.bot.id)) ?? this.bot.position, await activeSince(services.store, this.bot.id, this.bot.position));
    let handled = saved;
    const save = async (position: number) => {
      await saveCheckpoint(db, this.bot.id, position, services.clock());
      saved = position;
    };
    const subscription = feed.subscribe(saved, { types: TRIGGER_TYPES });
    try {
      for (;;) {
        if (this.stopping || feed.isStopped) return 'stopped';
        const events = await subscription.pull();
        const invitations = events.length > 0 ? await invitationsOf(db, this.bot.id) : new Map<string, number>();
        for (const event of events) {
          if (this.stopping) return 'stopped';
          const outcome = await this.settle(event, invitations, async () => {
            if (handled > saved) await save(handled);
          });
          if (outcome === 'lease_lost') return 'lost';
          if (outcome === 'stopped') return 'stopped';
          handled = event.position;
          // An answer (or an attempt) is saved at once: a crash after it must not answer again, nor call the model again.
          if (outcome !== 'nothing') await save(handled);
        }
        if (this.stopping) return 'stopped';
        // Every event up to here was scanned; those of the page are handled: one write for the whole page.
        handled = Math.max(handled, subscription.position);
        if (handled > saved) await save(handled);
        if (subscription.caughtUp) await feed.waitBeyond(subscription.position, this.aborted);
      }
    } finally {
      subscription.detach();
    }
  }

  /** Handles one event; a failure that is not an outage is tried FAILURES_BEFORE_SKIPPING times, then given up. */
  private async settle(event: StoredEvent, invitations: ReadonlyMap<string, number>, saveSoFar: () => Promise<void>): Promise<AnswerOutcome | 'nothing'> {
    try {
      return await this.handle(event, invitations);
    } catch (error) {
      if (this.stopping) return 'stopped';
      if (isUnavailable(error)) throw error;
      this.failures = this.failures.position === event.position ? { position: event.position, count: this.failures.count + 1 } : { position: event.position, count: 1 };
      if (this.failures.count < FAILURES_BEFORE_SKIPPING) {
        await saveSoFar().catch(() => undefined);
        throw error;
      }
      log.error({ err: error, bot: this.bot.username, botId: this.bot.id, trigger: event.eventId }, `bot ${this.bot.username} gives up on an event that failed ${this.failures.count} times`);
      return 'failed';
    }
  }

  private async handle(event: StoredEvent, invitations: ReadonlyMap<string, number>): Promise<AnswerOutcome | 'nothing'> {
    const bot = this.bot;
    const threadId = typeof event.data.threadId === 'string' ? event.data.threadId : '';
    const invitedAt = invitations.get(threadId) ?? null;
    if (!mightTrigger(event, bot, invitedAt)) return 'nothing';
    const trigger = triggersFor(event, bot, await this.factsOf(event, invitedAt));
    if (trigger === null) return 'nothing';
    // Removed since the last look (`thrds bot remove` in another process): it answers nothing more. Its card may have changed too.
    const fresh = await botById(this.deps.services.db, bot.id);
    if (!fresh || fresh.removedAt !== null) return 'nothing';
    this.bot = fresh;
    const report = await answer(
      { services: this.deps.services, settings: this.deps.settings, engine: this.deps.engine, limits: this.deps.limits, stillHolds: this.deps.stillHolds, signal: this.controller.signal },
      fresh,
      trigger,
    );
    this.deps.reported(report);
    return report.outcome;
  }

  private async factsOf(event: StoredEvent, invitedAt: number | null) {
    if (event.type !== 'MessagePosted') return { authorIsBot: false, repliedToAuthorId: null, invitedAt, deleted: false };
    const messageId = String(event.data.messageId);
    const replyToId = typeof event.data.replyToId === 'string' ? event.data.replyToId : null;
    const [authorIsBot, rows] = await Promise.all([
      event.metadata.actorId === null ? Promise.resolve(false) : this.deps.isBot(event.metadata.actorId),
      messagesByIds(this.deps.services.db, replyToId === null ? [messageId] : [messageId, replyToId]),
    ]);
    const message = rows.find((m) => m.id === messageId);
    return {
      authorIsBot,
      repliedToAuthorId: rows.find((m) => m.id === replyToId)?.authorId ?? null,
      invitedAt,
      deleted: !message || message.deletedAt !== null,
    };
  }
}

/** The threads a bot is invited to, with the position of the invitation in force. */
async function invitationsOf(db: Services['db'], botId: string): Promise<Map<string, number>> {
  const rows = await db.query<{ thread_id: string; position: number | string }>('SELECT thread_id, position FROM thread_bots WHERE bot_id = ?', [botId]);
  return new Map(rows.map((r) => [r.thread_id, Number(r.position)]));
}

/** Whether a user is a bot, remembered: who is a bot never changes once registered. */
export function botCache(services: Pick<Services, 'db'>): (userId: string) => Promise<boolean> {
  const known = new Map<string, boolean>();
  return async (userId) => {
    const cached = known.get(userId);
    if (cached !== undefined) return cached;
    const isBot = (await botsByIds(services.db, [userId])).length > 0;
    if (known.size >= 50_000) known.delete(known.keys().next().value as string);
    known.set(userId, isBot);
    return isBot;
  };
}
