/** Every `thrds` subcommand, in the order help lists them. */
import type { Command } from './subcommand.ts';
import { adminCommand } from './subcommands/admin.ts';
import { backupCommand } from './subcommands/backup.ts';
import { botCommand } from './subcommands/bot.ts';
import { eventsCommand } from './subcommands/events.ts';
import { exportCommand } from './subcommands/export.ts';
import { importCommand } from './subcommands/import.ts';
import { migrateCommand } from './subcommands/migrate.ts';
import { rebuildCommand } from './subcommands/rebuild.ts';
import { serveCommand } from './subcommands/serve.ts';
import { statsCommand } from './subcommands/stats.ts';
import { verifyCommand } from './subcommands/verify.ts';

export const commands: readonly Command[] = [
  serveCommand,
  migrateCommand,
  eventsCommand,
  exportCommand,
  importCommand,
  verifyCommand,
  backupCommand,
  rebuildCommand,
  statsCommand,
  adminCommand,
  botCommand,
];
