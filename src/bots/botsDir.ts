/**
 * THRDS_BOTS_DIR: at server start every `*.json` and `*.png` card in the directory is
 * added or updated (addBot, by nobody: actor null), so a deployment keeps
 * its characters in files beside its config; a PNG card's picture becomes
 * its bot's avatar (botPicture.ts). A bad card is refused with one
 * log line naming the file and the field, and the server starts anyway: one
 * broken card must not take the chat down with it.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ThrdsError, UnavailableError } from '../errors.ts';
import type { CommandDeps } from '../modules/commandDeps.ts';
import { addBot } from '../modules/botAdded.ts';
import { usernameFor } from './characterCard.ts';
import { log } from '../observability/log.ts';
import { CardFileError, cardUsername, readCardFile } from './cardFile.ts';
import { setBotPicture } from './botPicture.ts';

/** More cards than a team chat has characters: a directory this full is most likely the wrong one. */
export const BOTS_DIR_MAX_FILES = 200;

export interface BotsDirResult {
  /** Usernames, in file-name order. */
  readonly added: string[];
  readonly updated: string[];
  readonly unchanged: string[];
  /** `file` is the file's name in the directory (the directory itself when it cannot be read). */
  readonly refused: { file: string; reason: string }[];
}

/**
 * Adds or updates the bot of every `*.json` and `*.png` file directly in `dir` (not its
 * subdirectories, not hidden files), in name order. The username is the card's
 * `data.extensions.thrds.username` when it has one, else derived from its
 * name (as addBot derives it), so the same file always lands on the same bot. Never
 * throws for a bad card or an unreadable directory; a database that fails is
 * not a card's fault and is thrown.
 */
export async function loadBotsDir(deps: CommandDeps, dir: string): Promise<BotsDirResult> {
  const result: BotsDirResult = { added: [], updated: [], unchanged: [], refused: [] };
  let files: string[];
  try {
    files = await cardFiles(dir);
  } catch (error) {
    const reason = `cannot read the directory: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : error instanceof Error ? error.message : String(error)}`;
    log.error({ botsDir: dir, reason }, `THRDS_BOTS_DIR ${dir}: ${reason}; no bots loaded from it`);
    result.refused.push({ file: dir, reason });
    return result;
  }
  const over = files.splice(BOTS_DIR_MAX_FILES);
  if (over.length > 0) {
    const reason = `more than ${BOTS_DIR_MAX_FILES} card files in the directory: only the first ${BOTS_DIR_MAX_FILES} by name are loaded`;
    log.warn({ botsDir: dir, skipped: over.length }, `THRDS_BOTS_DIR ${dir}: ${reason} (${over.length} skipped)`);
    result.refused.push(...over.map((file) => ({ file, reason })));
  }
  // Two files asking for one username would update each other at every start.
  const loadedFrom = new Map<string, string>();
  for (const file of files) {
    try {
      const { card, picture } = await readCardFile(join(dir, file), file);
      const username = cardUsername(card, file) ?? usernameFor(card.data.name);
      const first = loadedFrom.get(username);
      if (first !== undefined) throw new CardFileError(file, `asks for @${username} too, which ${first} already holds: give one of them data.extensions.thrds.username`);
      const { bot, outcome: cardOutcome } = await addBot(deps, null, { card, username });
      loadedFrom.set(bot.username, file);
      // A PNG card's picture is its bot's avatar; a new picture in the same card is an update too.
      const pictured = picture && deps.attachments ? await setBotPicture({ ...deps, attachments: deps.attachments }, bot.id, picture, `bots-dir:${file}`) : null;
      const outcome = cardOutcome === 'unchanged' && pictured === 'set' ? 'updated' : cardOutcome;
      if (pictured === 'unusable') log.warn({ botsDir: dir, file, botId: bot.id }, `THRDS_BOTS_DIR ${file}: its picture does not decode; @${bot.username} keeps the avatar it had`);
      result[outcome].push(bot.username);
      if (outcome !== 'unchanged') log.info({ botsDir: dir, file, botId: bot.id, username: bot.username, outcome, picture: pictured }, `THRDS_BOTS_DIR ${file}: ${outcome} @${bot.username}`);
    } catch (error) {
      if (!(error instanceof ThrdsError) || error instanceof UnavailableError) throw error;
      const reason = error instanceof CardFileError ? error.reason : error.message;
      log.warn({ botsDir: dir, file, code: error.code, reason }, `THRDS_BOTS_DIR ${file}: ${reason}; skipped`);
      result.refused.push({ file, reason });
    }
  }
  log.info(
    { botsDir: dir, added: result.added.length, updated: result.updated.length, unchanged: result.unchanged.length, refused: result.refused.length },
    `THRDS_BOTS_DIR ${dir}: ${result.added.length} added, ${result.updated.length} updated, ${result.unchanged.length} unchanged, ${result.refused.length} refused`,
  );
  return result;
}

/** The names of the regular files (or links to them) ending in .json or .png, sorted. */
async function cardFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (!/\.(json|png)$/i.test(entry.name) || entry.name.startsWith('.')) continue;
    if (await isFile(dir, entry)) names.push(entry.name);
  }
  return names.sort();
}

async function isFile(dir: string, entry: Dirent): Promise<boolean> {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  // A dangling link is still offered, so its refusal says what is wrong with it.
  return stat(join(dir, entry.name)).then((target) => target.isFile(), () => true);
}
