/** Every `thrds` subcommand, in the order help lists them. */
import type { Command } from './command.ts';
import { backupCommand } from './commands/backup.ts';
import { eventsCommand } from './commands/events.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { migrateCommand } from './commands/migrate.ts';
import { rebuildCommand } from './commands/rebuild.ts';
import { serveCommand } from './commands/serve.ts';
import { statsCommand } from './commands/stats.ts';
import { verifyCommand } from './commands/verify.ts';

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
];
