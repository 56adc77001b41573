/**
 * A log moved with `thrds export` / `thrds import` keeps its bots' answers
 * exactly once: the idempotency keys stay behind with the old store, so
 * each bot the import adds starts at the imported head. Without that, the
 * first reactor on the new store would answer every message of its history
 * again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exportLog } from '../../src/audit/exportLog.ts';
import { importLog } from '../../src/audit/importLog.ts';
import { startBots } from '../../src/bots/botReactor.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/openDatabase.ts';
import { postMessage } from '../../src/modules/messagePosted.ts';
import { openThrds, type Thrds } from '../../src/openThrds.ts';
import { createServices } from '../../src/services.ts';
import { createTestDatabase, storeKinds, type TestDatabase } from '../support/databases.ts';
import { relaxedProtection } from '../support/protection.ts';
import { waitFor } from '../support/waitFor.ts';
import { type BotWorld, openBotWorld, TEST_BOT_SETTINGS } from './support/botWorld.ts';

const kinds = await storeKinds();

describe.each(kinds)('bots after an import on %s', (kind) => {
  let world: BotWorld | undefined;
  let target: TestDatabase | undefined;
  let moved: Thrds | undefined;
  afterEach(async () => {
    await moved?.close();
    await world?.dispose();
    await target?.drop();
    [world, target, moved] = [undefined, undefined, undefined];
  });

  it('answer nothing of the imported history again, and the next call once', { timeout: 60_000 }, async () => {
    world = await openBotWorld(kind);
    const w = world;
    const bots = await w.start();
    const called = await w.post(w.ana, '@pip what is for tea?');
    await waitFor(async () => (await w.repliesTo(called.id)).length === 1, { what: 'the first reply' });
    await bots.stop();

    // What `thrds export` writes: the log as stored (erasable fields apart, old schema versions as written).
    const lines: string[] = [];
    await exportLog(w.t.db, { line: (text: string) => void lines.push(text), flush: async () => undefined });
    target = await createTestDatabase(kind);
    const db = await openDatabase(target.url);
    try {
      await migrate(db);
      const head = await importLog(db, (async function* () {
        yield* lines;
      })());
      const [checkpoint] = await db.query<{ position: number | string }>('SELECT position FROM bot_checkpoints WHERE bot_id = ?', [w.bot.id]);
      expect(Number(checkpoint?.position)).toBe(head.position);
    } finally {
      await db.close();
    }

    moved = await openThrds({ databaseUrl: target.url });
    const services = createServices(moved, relaxedProtection());
    const requestsBefore = w.model.requests.length;
    const again = startBots({ thrds: moved, services, settings: TEST_BOT_SETTINGS, engine: w.engine });
    try {
      const next = (await postMessage(services, w.ana, { threadId: w.threadId, body: '@pip and now?' })).message;
      const replies = (id: string) => moved!.db.query('SELECT id FROM messages WHERE reply_to_id = ? AND author_id = ?', [id, w.bot.id]);
      await waitFor(async () => (await replies(next.id)).length === 1, { what: 'the reply on the new store' });
      expect(await replies(called.id)).toHaveLength(1);
      expect(w.model.requests.length - requestsBefore).toBe(1);
    } finally {
      await again.stop();
      await Promise.all([services.presence.close(), services.typing.close(), services.threadUpdates.close(), services.botDrafts.close()]);
    }
  });
});
