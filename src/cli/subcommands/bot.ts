/**
 * `thrds bot add <card.json> [--username name]`, `thrds bot list`,
 * `thrds bot remove <username>`: the companion's characters from the command
 * line, as events in the log like any other (BotAdded, BotCardChanged,
 * BotRemoved), appended by nobody (actorId null). Works on a running store:
 * the server's reactor picks a new bot up from the log.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { ConcurrencyError, ForbiddenError, NotFoundError, ThrdsError, ValidationError } from '../../errors.ts';
import { SqlEventStore } from '../../events/sqlEventStore.ts';
import { addBot } from '../../modules/botAdded.ts';
import { removeBot } from '../../modules/botRemoved.ts';
import type { CommandDeps } from '../../modules/commandDeps.ts';
import { upcast } from '../../modules/index.ts';
import { ProjectionEngine } from '../../projections/projectionEngine.ts';
import { ReadCache } from '../../projections/readCache.ts';
import { protectionFromEnv } from '../../protection/protectionConfig.ts';
import { createRateLimits } from '../../protection/rateLimits.ts';
import { botByUsername } from '../../bots/botsQueries.ts';
import { cardUsername, readCardFile } from '../../bots/cardFile.ts';
import { setBotPicture } from '../../bots/botPicture.ts';
import { createAttachments } from '../../attachments/attachments.ts';
import { uploadSettingsFromEnv } from '../../attachments/uploadSettings.ts';
import { llmSettingsFromEnv } from '../../bots/llmSettings.ts';
import { createOpenAiEngine } from '../../bots/openaiEngine.ts';
import { stringFlag, type ParsedArgs } from '../args.ts';
import { type Command, wantsJson } from '../subcommand.ts';
import { CheckFailedError, CliError, ExitCode, UsageError } from '../exitCodes.ts';
import { openExisting, using } from '../openStore.ts';

const ACTIONS = ['add', 'list', 'remove'] as const;

export const botCommand: Command = {
  name: 'bot',
  summary: 'AI characters: thrds bot add <card.json|card.png> | list | remove <username>',
  description: [
    'add FILE reads a Character Card V2 (JSON, spec "chara_card_v2", or a PNG card with it in its "chara" chunk)',
    "and adds its character as a bot (a PNG card's picture becomes its avatar, stored in THRDS_FILES_DIR):",
    'a user marked as a bot, with no password, its card in its stream (BotAdded). Adding a card whose',
    'bot exists updates it (BotCardChanged) or, when nothing changed, writes nothing; a removed bot comes',
    "back. The username is --username, else the card's data.extensions.thrds.username, else made from",
    "data.name (\"Ada Lovelace\" → ada_lovelace). A card that is not valid is refused with the field's name.",
    '',
    'list prints one line per bot (username, display name, when added, active or removed, threads it is',
    'invited to), after a line saying whether bots answer: they need THRDS_LLM_BASE_URL (and',
    'THRDS_LLM_MODEL), read from the environment of this command, so run it with the server\'s settings.',
    '',
    'remove USERNAME retires the bot (BotRemoved): it answers nothing and cannot be invited, and its',
    'messages keep their author. `bot add` of its card brings it back.',
    '',
    'Cards in THRDS_BOTS_DIR (*.json and *.png) are added or updated the same way each time the server starts.',
  ].join('\n'),
  args: [
    { name: 'ACTION', description: 'add, list or remove' },
    { name: 'TARGET', description: 'add: the card file (JSON or PNG); remove: the bot\'s username; list: none', optional: true },
  ],
  flags: {
    username: { kind: 'string', value: 'NAME', description: 'add: the bot\'s username (3–32 of a-z, 0-9 and _) instead of the card\'s' },
  },
  json: 'add and remove: one object {"outcome","id","username","displayName"} (outcome added, updated, removed or unchanged; add of a PNG card also "picture": set, unchanged or unusable); list: {"answering","status","bots":[{"id","username","displayName","addedAt","removedAt","threads"}]}',
  examples: [
    ['thrds bot add examples/characters/ottilie.json', 'add the example character to the embedded store'],
    ['thrds bot add card.json --username helper --db mysql://thrds:secret@127.0.0.1:3306/thrds', 'add a character as @helper to a MariaDB store'],
    ['THRDS_LLM_BASE_URL=http://127.0.0.1:11434/v1 THRDS_LLM_MODEL=llama3.2 thrds bot list', 'the bots, and the model they answer through'],
    ['thrds bot remove ottilie', 'retire a bot'],
  ],
  exitCodes: {
    1: 'refused, nothing written: the username is held by a person, or no bot USERNAME to remove',
    2: 'bad usage: an unknown ACTION, a missing or extra TARGET, a card FILE that cannot be read or is not a valid card, a bad --username',
  },
  async run(args) {
    const [action = '', target] = args.positionals;
    if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`unknown action '${action}' (known: ${ACTIONS.join(', ')})`);
    if (action !== 'add' && stringFlag(args, 'username') !== undefined) throw new UsageError('--username is only for bot add');
    if (action === 'list') {
      if (target !== undefined) throw new UsageError(`unexpected argument '${target}'`);
      return list(args);
    }
    if (target === undefined) throw new UsageError(`missing argument ${action === 'add' ? 'FILE (the card)' : 'USERNAME'}`);
    return action === 'add' ? add(args, target) : remove(args, target);
  },
};

async function add(args: ParsedArgs, file: string): Promise<number> {
  // The card is checked before the store is opened: a bad card is the same mistake on any store.
  const { card, picture, asked } = await readCardFile(file)
    .then((read) => ({ ...read, asked: cardUsername(read.card, file) }))
    .catch(asUsage);
  const username = stringFlag(args, 'username') ?? asked;
  const { bot, outcome, pictured } = await withDeps(args, async (deps) => {
    const added = await addBot(deps, null, { card, ...(username !== undefined ? { username } : {}) });
    // A PNG card's picture becomes the bot's avatar, in THRDS_FILES_DIR (the server's files).
    const pictured = picture ? await setBotPicture({ ...deps, attachments: createAttachments(uploadSettingsFromEnv()) }, added.bot.id, picture, `bot-add:${added.bot.id}`) : null;
    return { ...added, pictured };
  });
  const wrote = outcome !== 'unchanged' || pictured === 'set';
  if (wantsJson(args)) console.log(JSON.stringify({ outcome, id: bot.id, username: bot.username, displayName: bot.displayName, ...(pictured ? { picture: pictured } : {}) }));
  else {
    const pictureNote = pictured === 'set' ? '; picture set from the card' : pictured === 'unusable' ? "; the card's picture does not decode and was not used" : '';
    console.log(`${outcome} @${bot.username} (${bot.displayName}), id ${bot.id}${pictureNote}${wrote ? '' : '; nothing was written'}`);
  }
  return ExitCode.ok;
}

async function remove(args: ParsedArgs, username: string): Promise<number> {
  const { bot, outcome } = await withDeps(args, async (deps) => {
    // Removing a removed bot writes nothing (removeBot): say so rather than claim it was removed now.
    const before = await botByUsername(deps.db, username);
    const removed = await removeBot(deps, null, { username });
    return { bot: removed, outcome: before !== null && before.removedAt !== null ? ('unchanged' as const) : ('removed' as const) };
  });
  if (wantsJson(args)) console.log(JSON.stringify({ outcome, id: bot.id, username: bot.username, displayName: bot.displayName }));
  else if (outcome === 'unchanged') console.log(`@${bot.username} (${bot.displayName}) was removed already; nothing was written`);
  else console.log(`removed @${bot.username} (${bot.displayName}), id ${bot.id}`);
  return ExitCode.ok;
}

interface ListedBot {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly addedAt: string;
  readonly removedAt: string | null;
  readonly threads: number;
}

async function list(args: ParsedArgs): Promise<number> {
  const answering = answeringStatus();
  const db = await openExisting(args);
  const bots = await using(db, async () => {
    await migrate(db);
    await new ProjectionEngine(db).catchUp();
    return everyBot(db);
  });
  if (wantsJson(args)) {
    console.log(JSON.stringify({ answering: answering.on, status: answering.line, bots }));
    return ExitCode.ok;
  }
  const usernames = Math.max(0, ...bots.map((b) => b.username.length));
  const names = Math.max(0, ...bots.map((b) => b.displayName.length));
  const lines = bots.map((b) => {
    const state = b.removedAt === null ? 'active' : `removed ${b.removedAt}`;
    return `@${b.username.padEnd(usernames)}  ${b.displayName.padEnd(names)}  added ${b.addedAt}  ${state.padEnd(7)}  ${b.threads} thread${b.threads === 1 ? '' : 's'}`;
  });
  console.log([answering.line, ...(bots.length === 0 ? ['no bots: add one with thrds bot add <card.json>'] : lines)].join('\n'));
  return ExitCode.ok;
}

/** Whether bots answer with this environment, and through what (never the key). */
function answeringStatus(): { on: boolean; line: string } {
  try {
    const settings = llmSettingsFromEnv(process.env);
    if ('off' in settings) return { on: false, line: `bots are off: ${settings.off}` };
    return { on: true, line: `bots answer through ${createOpenAiEngine(settings).description}` };
  } catch (error) {
    return { on: false, line: `bots are off: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Every bot, removed ones too, by username, with the number of threads it is invited to. */
async function everyBot(db: Database): Promise<ListedBot[]> {
  const rows = await db.query<{ id: string; username: string; display_name: string; added_at: number | string; removed_at: number | string | null; threads: number | string }>(
    `SELECT b.id, b.username, b.display_name, b.added_at, b.removed_at,
            (SELECT COUNT(*) FROM thread_bots t WHERE t.bot_id = b.id) AS threads
       FROM bots b ORDER BY b.username`,
  );
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    addedAt: when(row.added_at),
    removedAt: row.removed_at === null ? null : when(row.removed_at),
    threads: Number(row.threads),
  }));
}

/** Epoch ms as an ISO-8601 instant to the second (UTC): what a log or a script reads alike. */
function when(ms: number | string): string {
  return new Date(Number(ms)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Opens the store, brings its read models to the head (a decision reads
 * them; the append then writes them inline, as the server does), runs the
 * command, and maps its refusals to exit codes.
 */
async function withDeps<T>(args: ParsedArgs, fn: (deps: CommandDeps) => Promise<T>): Promise<T> {
  const db = await openExisting(args);
  return using(db, async () => {
    await migrate(db);
    const projections = new ProjectionEngine(db);
    await projections.catchUp();
    const store = new SqlEventStore(db, { upcast, hooks: [projections.inline] });
    const deps: CommandDeps = {
      store,
      db,
      clock: Date.now,
      newId: randomUUID,
      readCache: new ReadCache(db),
      rateLimits: createRateLimits(protectionFromEnv(process.env).rates),
    };
    try {
      return await fn(deps);
    } catch (error) {
      throw refusal(error);
    } finally {
      await store.drain();
    }
  });
}

/** Bad input is usage (2); a refusal of the request (taken, not found, not allowed) is 1, as `admin grant`'s are; the rest is 4. */
function refusal(error: unknown): unknown {
  if (error instanceof ValidationError) return new UsageError(error.message);
  if (error instanceof ConcurrencyError || error instanceof NotFoundError || error instanceof ForbiddenError) return new CheckFailedError(`${error.message}; nothing was written`);
  if (error instanceof ThrdsError) return new CliError(error.message);
  return error;
}

function asUsage(error: unknown): never {
  if (error instanceof ValidationError) throw new CliError(error.message, ExitCode.usage);
  throw error;
}
