/**
 * The `thrds` command: `thrds <subcommand> [options]`. Exit codes: 0 done,
 * 1 failed (a clear message on standard error; for `verify`, a bad log),
 * 2 bad usage.
 */
import { parseArgs, UsageError } from './args.ts';
import { CliError, type Command } from './command.ts';
import { eventsCommand } from './commands/events.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { migrateCommand } from './commands/migrate.ts';
import { rebuildCommand } from './commands/rebuild.ts';
import { serveCommand } from './commands/serve.ts';
import { statsCommand } from './commands/stats.ts';
import { verifyCommand } from './commands/verify.ts';

const commands: Readonly<Record<string, Command>> = {
  serve: serveCommand,
  migrate: migrateCommand,
  events: eventsCommand,
  export: exportCommand,
  import: importCommand,
  verify: verifyCommand,
  rebuild: rebuildCommand,
  stats: statsCommand,
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  return [
    'usage: thrds <command> [--database-url URL] [--quiet] [options]',
    '',
    'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'The database is --database-url, else $DATABASE_URL, else sqlite:./data/thrds.db',
    '(mysql://user:pass@host:3306/db for MariaDB/MySQL). `thrds <command> --help` for its options.',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`thrds: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  try {
    const args = parseArgs(rest, command.flags);
    if (args.flags.get('help') === true) {
      console.log(`usage: thrds ${name} ${command.usage}\n\n${command.summary}`);
      return 0;
    }
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`thrds ${name}: ${error.message}\nusage: thrds ${name} ${command.usage}`);
      return 2;
    }
    if (error instanceof CliError) {
      console.error(`thrds ${name}: ${error.message}`);
      return 1;
    }
    console.error(`thrds ${name}: failed: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.THRDS_DEBUG) console.error(error);
    return 1;
  }
}

// A closed pipe (`thrds export | head`) is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await main(process.argv.slice(2));
// The server leaves timers and pools to the process's end; every other command closes what it opened.
if (process.argv[2] === 'serve') process.exit(code);
process.exitCode = code;
