/**
 * The bots of one server process (`startBots`): every few seconds it looks
 * at the active bots, takes or renews the lease of each one it can
 * (botLease.ts), runs one loop per bot it holds (botLoop.ts), and stops the
 * loop of a bot it lost or that was removed. Bots run side by side; each
 * answers one call at a time.
 *
 * Nothing here sits in a request's path: a slow or dead model delays only
 * the bot's own replies.
 */
import { randomUUID } from 'node:crypto';
import type { Thrds } from '../openThrds.ts';
import { log } from '../observability/log.ts';
import type { Services } from '../schema/context.ts';
import type { AnswerOutcome, AnswerReport } from './answer.ts';
import { holdsLease, releaseLease, takeLease } from './botLease.ts';
import { BotLimits } from './botLimits.ts';
import { botCache, BotLoop } from './botLoop.ts';
import type { BotSettings } from './botSettings.ts';
import { activeBots } from './botsQueries.ts';
import type { BotRow, ChatEngine } from './types.ts';

export interface BotsOptions {
  readonly thrds: Pick<Thrds, 'db' | 'feed'>;
  readonly services: Services;
  readonly settings: BotSettings;
  readonly engine: ChatEngine;
  /** This process's name in bot_leases; a fresh one by default (a restarted process waits for its old leases to expire). */
  readonly instanceId?: string;
}

export interface BotStats {
  /** Bots whose lease this process holds (and runs) now. */
  readonly held: number;
  /** Triggers settled, by outcome, since start. */
  readonly answers: Readonly<Record<AnswerOutcome, number>>;
}

export interface Bots {
  stop(): Promise<void>;
  readonly stats: BotStats;
  /** Each answer's report as it settles (metrics, tests); returns how to stop listening. */
  observe(listener: (report: AnswerReport) => void): () => void;
}

export function startBots(options: BotsOptions): Bots {
  const { services, settings } = options;
  const { db, feed } = options.thrds;
  const holder = options.instanceId ?? randomUUID();
  const clock = services.clock;
  const limits = new BotLimits(settings, clock);
  const loops = new Map<string, BotLoop>();
  const listeners = new Set<(report: AnswerReport) => void>();
  const answers = Object.fromEntries(
    (['posted', 'already_answered', 'limited', 'failed', 'refused', 'skipped', 'stopped', 'lease_lost'] as const).map((o) => [o, 0]),
  ) as Record<AnswerOutcome, number>;
  const isBot = botCache(services);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let looking: Promise<void> | undefined;

  const reported = (report: AnswerReport) => {
    answers[report.outcome] += 1;
    for (const listener of listeners) listener(report);
  };

  const startLoop = (bot: BotRow) => {
    const loop: BotLoop = new BotLoop(bot, {
      services,
      settings,
      engine: options.engine,
      limits,
      isBot,
      stillHolds: async (): Promise<boolean> => loop.heldUntil >= clock() && holdsLease(db, { botId: loop.bot.id, holder, now: clock() }),
      reported,
      lost: () => {
        if (loops.get(loop.bot.id) === loop) loops.delete(loop.bot.id);
      },
    });
    loop.heldUntil = clock() + settings.leaseMs;
    loops.set(bot.id, loop);
  };

  /** One look: leases taken or renewed, loops started for new ones and stopped for lost or removed bots. */
  const look = async () => {
    const bots = await activeBots(db);
    const active = new Set(bots.map((b) => b.id));
    for (const [id, loop] of loops) {
      if (active.has(id)) continue;
      loops.delete(id);
      await loop.stop();
      await releaseLease(db, { botId: id, holder });
    }
    for (const bot of bots) {
      if (stopped) return;
      const now = clock();
      const held = await takeLease(db, { botId: bot.id, holder, now, leaseMs: settings.leaseMs });
      const loop = loops.get(bot.id);
      if (held && loop) {
        loop.bot = bot;
        loop.heldUntil = now + settings.leaseMs;
      } else if (held) {
        log.info({ bot: bot.username, botId: bot.id, holder }, `bot ${bot.username} runs here`);
        startLoop(bot);
      } else if (loop) {
        loops.delete(bot.id);
        await loop.stop();
      }
    }
  };

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      looking = look()
        .catch((error: unknown) => {
          // The loops keep what they hold until it expires; each checks its lease before it posts.
          log.warn({ err: error }, 'bots: could not look at the leases; trying again');
        })
        .finally(() => {
          looking = undefined;
          schedule(settings.renewMs);
        });
    }, delay);
    timer.unref();
  };
  schedule(0);

  return {
    get stats() {
      return { held: loops.size, answers: { ...answers } };
    },
    observe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await looking;
      const held = [...loops.values()];
      loops.clear();
      await Promise.all(held.map((loop) => loop.stop()));
      // Given back at once: another instance runs them at its next look, not after they expire.
      await Promise.all(held.map((loop) => releaseLease(db, { botId: loop.bot.id, holder }).catch((error: unknown) => log.warn({ err: error, botId: loop.bot.id }, 'bots: could not release a lease'))));
    },
  };
}
