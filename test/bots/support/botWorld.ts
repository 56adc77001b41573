/**
 * A Thrds with people, a thread, a bot and a loopback model, in this
 * process, on a real database: what the reactor's tests and the bench start
 * from. `start()` runs a reactor (several for "instances": each with its own
 * instance id, on its own Thrds when `separate` is asked).
 */
import { register } from '../../../src/accounts/accounts.ts';
import { type Bots, startBots } from '../../../src/bots/botReactor.ts';
import { type BotSettings, DEFAULT_BOT_SETTINGS } from '../../../src/bots/botSettings.ts';
import { createOpenAiEngine } from '../../../src/bots/openaiEngine.ts';
import type { BotRow, CharacterCard, ChatEngine } from '../../../src/bots/types.ts';
import { testCard } from './testCard.ts';
import { addBot } from '../../../src/modules/botAdded.ts';
import { createThread } from '../../../src/modules/threadCreated.ts';
import { postMessage } from '../../../src/modules/messagePosted.ts';
import type { MessageRow } from '../../../src/projections/messagesProjection.ts';
import type { Services } from '../../../src/schema/context.ts';
import { createServices } from '../../../src/services.ts';
import type { Thrds } from '../../../src/openThrds.ts';
import { type StoreKind } from '../../support/databases.ts';
import { type LoopbackModel, startLoopbackModel } from '../../support/loopbackModel.ts';
import { relaxedProtection } from '../../support/protection.ts';
import { openTestThrds, type TestThrds } from '../../support/thrds.ts';

/** Fast enough for tests: leases of 1.5 s looked at every 250 ms, retries 20 ms apart, no cool-down. */
export const TEST_BOT_SETTINGS: BotSettings = { ...DEFAULT_BOT_SETTINGS, cooldownMs: 0, retryBaseMs: 20, timeoutMs: 5_000, leaseMs: 1_500, renewMs: 250 };

export interface Person {
  readonly userId: string;
  readonly correlationId: string;
}

export interface BotWorld {
  readonly t: TestThrds;
  readonly services: Services;
  readonly model: LoopbackModel;
  readonly engine: ChatEngine;
  readonly ana: Person;
  readonly bob: Person;
  readonly threadId: string;
  readonly bot: BotRow;
  /** Starts a reactor; `separate` opens another Thrds on the same database for it (another instance's pool and feed). */
  start(options?: { settings?: Partial<BotSettings>; instanceId?: string; separate?: boolean; engine?: ChatEngine }): Promise<Bots>;
  post(who: Person, body: string, replyToId?: string | null): Promise<MessageRow>;
  /** The bot's messages that reply to `messageId`, by position. */
  repliesTo(messageId: string): Promise<Array<{ id: string; body: string; position: number }>>;
  /** Every message the bot wrote, by position. */
  botMessages(): Promise<Array<{ id: string; body: string; replyToId: string | null }>>;
  dispose(): Promise<void>;
}

export async function openBotWorld(kind: StoreKind, options: { card?: CharacterCard } = {}): Promise<BotWorld> {
  const t = await openTestThrds(kind);
  const services = createServices(t, relaxedProtection());
  const model = await startLoopbackModel();
  const engine = createOpenAiEngine({ baseUrl: model.url, model: 'loopback' });
  const request = { correlationId: 'test', clientAddress: '127.0.0.1' };
  const anaUser = (await register(services, { username: 'ana', password: 'correct horse', displayName: 'Ana' }, request)).user;
  const bobUser = (await register(services, { username: 'bob', password: 'correct horse', displayName: 'Bob' }, request)).user;
  const ana = { userId: anaUser.id, correlationId: 'ana' };
  const bob = { userId: bobUser.id, correlationId: 'bob' };
  const { thread } = await createThread(services, ana, { title: 'Tea time' });
  const { bot } = await addBot(services, null, { card: options.card ?? testCard(), username: 'pip' });
  const running: Bots[] = [];
  const others: Array<{ thrds: Thrds; services: Services }> = [];
  return {
    t,
    services,
    model,
    engine,
    ana,
    bob,
    threadId: thread.id,
    bot,
    async start(startOptions = {}) {
      let thrds: Thrds = t;
      let its = services;
      if (startOptions.separate) {
        thrds = await t.another();
        const own = createServices(thrds, relaxedProtection());
        // Drafts as Redis would share them: every instance's reach this process's watchers.
        its = { ...own, botDrafts: services.botDrafts };
        others.push({ thrds, services: own });
      }
      const bots = startBots({
        thrds,
        services: its,
        settings: { ...TEST_BOT_SETTINGS, ...startOptions.settings },
        engine: startOptions.engine ?? engine,
        ...(startOptions.instanceId ? { instanceId: startOptions.instanceId } : {}),
      });
      running.push(bots);
      return bots;
    },
    async post(who, body, replyToId = null) {
      return (await postMessage(services, who, { threadId: thread.id, body, replyToId })).message;
    },
    async repliesTo(messageId) {
      return t.db.query<{ id: string; body: string; position: number }>('SELECT id, body, position FROM messages WHERE reply_to_id = ? AND author_id = ? ORDER BY position', [messageId, bot.id]);
    },
    async botMessages() {
      const rows = await t.db.query<{ id: string; body: string; reply_to_id: string | null }>('SELECT id, body, reply_to_id FROM messages WHERE author_id = ? ORDER BY position', [bot.id]);
      return rows.map((r) => ({ id: r.id, body: r.body, replyToId: r.reply_to_id }));
    },
    async dispose() {
      await Promise.all(running.map((b) => b.stop()));
      for (const other of others) await Promise.all([other.services.presence.close(), other.services.typing.close(), other.services.threadUpdates.close(), other.services.botDrafts.close()]);
      await Promise.all([services.presence.close(), services.typing.close(), services.threadUpdates.close(), services.botDrafts.close()]);
      await model.close();
      await t.dispose();
    },
  };
}
