/**
 * A web server whose bots answer (issue 15): its store is made first and a
 * bot added to it (addBot, as `thrds bot add` does), then the server starts
 * with the settings `env` gives (THRDS_LLM_BASE_URL pointing at a loopback
 * model, THRDS_LLM_MODEL, any THRDS_BOT_* limit), so the reactor it starts
 * finds the bot there.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uploadSettingsFromEnv } from '../../../src/attachments/uploadSettings.ts';
import { addBot } from '../../../src/modules/botAdded.ts';
import { botSettingsFromEnv } from '../../../src/bots/botSettings.ts';
import { llmSettingsFromEnv } from '../../../src/bots/llmSettings.ts';
import { parseCharacterCard } from '../../../src/bots/characterCard.ts';
import type { BotRow } from '../../../src/bots/types.ts';
import { openThrds } from '../../../src/openThrds.ts';
import { ReadCache } from '../../../src/projections/readCache.ts';
import { createRateLimits } from '../../../src/protection/rateLimits.ts';
import { createTestDatabase } from '../../support/databases.ts';
import { relaxedProtection } from '../../support/protection.ts';
import { startWebServer, type WebServer } from './webServer.ts';

export interface BotWebServer extends WebServer {
  readonly bot: BotRow;
  /** The server's THRDS_FILES_DIR (its own scratch folder), for `thrds bot add card.png` to store a picture where the server serves it. */
  readonly filesDir: string;
}

export interface BotWebServerOptions {
  /** The card's JSON (a Character Card V2). */
  readonly card: unknown;
  /** THRDS_LLM_* and THRDS_BOT_* settings, over the process's own. */
  readonly env: Readonly<Record<string, string>>;
}

export async function startBotWebServer({ card, env }: BotWebServerOptions): Promise<BotWebServer> {
  const database = await createTestDatabase('sqlite');
  const thrds = await openThrds({ databaseUrl: database.url });
  let bot: BotRow;
  try {
    ({ bot } = await addBot(
      { store: thrds.store, db: thrds.db, clock: Date.now, newId: randomUUID, readCache: new ReadCache(thrds.db), rateLimits: createRateLimits(relaxedProtection().rates) },
      null,
      { card: parseCharacterCard(card) },
    ));
  } finally {
    await thrds.close();
  }

  // Only this server reads these settings: process.env is left alone.
  const settings = { ...process.env, ...env };
  const filesDir = mkdtempSync(join(tmpdir(), 'thrds-bot-web-files-'));
  let server: WebServer;
  try {
    server = await startWebServer({ databaseUrl: database.url, llm: llmSettingsFromEnv(settings), bots: botSettingsFromEnv(settings), uploads: uploadSettingsFromEnv({ THRDS_FILES_DIR: filesDir }) });
  } catch (error) {
    await database.drop();
    rmSync(filesDir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...server,
    // startWebServer's own is the scratch file it made and did not use.
    databaseUrl: database.url,
    bot,
    filesDir,
    async stop() {
      try {
        await server.stop();
      } finally {
        await database.drop();
        rmSync(filesDir, { recursive: true, force: true });
      }
    },
  };
}
